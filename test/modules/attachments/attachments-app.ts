import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createYoga } from 'graphql-yoga';
import { buildApp, type App } from '../../../src/app';
import type { Config } from '../../../src/config/env';
import { schema } from '../../../src/graphql/schema';
import { useLocalStorageRoutes } from '../../../src/storage/local-routes';
import { postGraphQL, startTestApp, testConfig, type GraphQLResponse, type TestApp } from '../../support/harness';

export type FileServer = {
  config: Config;
  baseUrl: string;
  /** A real HTTP request to a server running the /files plugin (a relative URL is resolved against it). */
  fetchFile(url: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
};

/**
 * The test configuration with a throwaway storage directory, and a real HTTP
 * server carrying the storage plugin in front of the schema (as app.ts does
 * once the lead adds the plugin there).
 */
export async function startFileServer(overrides: Partial<Config['storage']> = {}): Promise<FileServer> {
  const localDir = await mkdtemp(join(tmpdir(), 'taskgraph-uploads-'));
  const config: Config = Object.freeze({ ...testConfig, storage: Object.freeze({ ...testConfig.storage, localDir, ...overrides }) });
  const server = createServer(createYoga({ schema, plugins: [useLocalStorageRoutes(config)], logging: false }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    config,
    baseUrl,
    fetchFile: (url, init) => fetch(new URL(url, baseUrl), init),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(localDir, { recursive: true, force: true });
    },
  };
}

export type AttachmentsApp = FileServer & {
  t: TestApp;
  /** GraphQL against an app using the file server's configuration. */
  graphql<T = any>(query: string, options?: { variables?: Record<string, unknown>; token?: string }): Promise<GraphQLResponse<T>>;
  /** Statements this app sent since the last reset. */
  queryCount(): number;
  resetQueryCount(): void;
};

/** The test database and fixtures of startTestApp, plus an app and a file server sharing one storage directory. */
export async function startAttachmentsApp(): Promise<AttachmentsApp> {
  const t = await startTestApp();
  const files = await startFileServer();
  let statements = 0;
  const app: App = buildApp({ config: files.config, databaseUrl: t.appUrl, database: { max: 3, onQuery: () => statements++ } });
  return {
    ...files,
    t,
    queryCount: () => statements,
    resetQueryCount: () => {
      statements = 0;
    },
    graphql: (query, options) => postGraphQL(app, query, options),
    async close() {
      await files.close();
      await app.stop();
      await t.close();
    },
  };
}
