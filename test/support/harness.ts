import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { buildApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config/env';
import { createDatabase, deriveAppUrl, type DatabaseHandle } from '../../src/db/client';
import { withDatabase } from './database-urls';

export type GraphQLResponse<T = any> = { data?: T; errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[] };

export type TestApp = {
  app: App;
  /** Owner connection to this file's database: for fixtures and for checking what was (not) written. */
  owner: DatabaseHandle;
  /** The app role's connection string for this file's database. */
  appUrl: string;
  /** The owner's connection string for this file's database (a superuser here: bypasses RLS). */
  ownerUrl: string;
  /** Statements the app sent since the last `resetQueryCount()`. */
  queryCount(): number;
  /** Their text, in the order sent. */
  queries(): readonly string[];
  resetQueryCount(): void;
  graphql<T = any>(query: string, options?: { variables?: Record<string, unknown>; token?: string }): Promise<GraphQLResponse<T>>;
  close(): Promise<void>;
};

/** One GraphQL request through the app's fetch handler (no port), as an HTTP client would send it. */
export async function postGraphQL<T = any>(
  app: App,
  query: string,
  { variables, token }: { variables?: Record<string, unknown>; token?: string } = {},
): Promise<GraphQLResponse<T>> {
  const response = await app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

export const testConfig = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', SEED_DEMO: 'false' });

/** A fresh database cloned from the migrated template, and the app on top of it. */
export async function startTestApp(): Promise<TestApp> {
  const ownerUrl = inject('ownerUrl');
  const database = `taskgraph_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database} template ${inject('templateDatabase')}`);
  await admin.end();

  const ownerDbUrl = withDatabase(ownerUrl, database);
  const appUrl = deriveAppUrl(ownerDbUrl);
  let sent: string[] = [];
  const app = buildApp({ config: testConfig, databaseUrl: appUrl, database: { max: 4, onQuery: (query) => sent.push(query) } });
  const owner = createDatabase(ownerDbUrl, { max: 2 });

  return {
    app,
    owner,
    appUrl,
    ownerUrl: ownerDbUrl,
    queryCount: () => sent.length,
    queries: () => sent,
    resetQueryCount: () => {
      sent = [];
    },
    graphql: (query, options) => postGraphQL(app, query, options),
    async close() {
      await app.stop();
      await owner.close();
      const cleanup = postgres(ownerUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${database} with (force)`);
      await cleanup.end();
    },
  };
}
