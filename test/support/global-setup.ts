import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded';
import { runMigrations } from '../../src/db/migrate';
import { withDatabase } from './database-urls';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
    templateDatabase: string;
  }
}

let embedded: EmbeddedPostgres | undefined;
let ownerUrl: string | undefined;
// One template per run, so runs started side by side do not drop each other's template.
const templateDatabase = `taskgraph_template_${process.pid}`;

/**
 * Migrates a template database once; every test file clones it (CREATE DATABASE
 * ... TEMPLATE), which is much faster than migrating per file. Uses
 * DATABASE_URL when set (CI), else an embedded Postgres under .data/.
 */
export async function setup(project: TestProject) {
  ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres('.data/postgres-test', 54330);
    ownerUrl = embedded.url;
  }
  const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`);
    await admin.unsafe(`create database ${templateDatabase}`);
  } finally {
    await admin.end();
  }
  const password = new URL(ownerUrl).password || undefined;
  await runMigrations(withDatabase(ownerUrl, templateDatabase), password ? decodeURIComponent(password) : undefined);
  project.provide('ownerUrl', ownerUrl);
  project.provide('templateDatabase', templateDatabase);
}

export async function teardown() {
  if (ownerUrl) {
    const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${templateDatabase} with (force)`).finally(() => admin.end());
  }
  await embedded?.stop();
}
