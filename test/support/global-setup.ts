import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded';
import { runMigrations } from '../../src/db/migrate';
import { TEMPLATE_DATABASE, withDatabase } from './database-urls';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
  }
}

let embedded: EmbeddedPostgres | undefined;

/**
 * Migrates a template database once; every test file clones it (CREATE DATABASE
 * ... TEMPLATE), which is much faster than migrating per file. Uses
 * DATABASE_URL when set (CI), else an embedded Postgres under .data/.
 */
export async function setup(project: TestProject) {
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres('.data/postgres-test', 54330);
    ownerUrl = embedded.url;
  }
  const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${TEMPLATE_DATABASE} with (force)`);
    await admin.unsafe(`create database ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const password = new URL(ownerUrl).password || undefined;
  await runMigrations(withDatabase(ownerUrl, TEMPLATE_DATABASE), password ? decodeURIComponent(password) : undefined);
  project.provide('ownerUrl', ownerUrl);
}

export async function teardown() {
  await embedded?.stop();
}
