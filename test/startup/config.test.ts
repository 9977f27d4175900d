import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env';

const refusal = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('loadConfig', () => {
  it('refuses a port that is not a number, naming PORT', () => {
    expect(refusal({ PORT: 'abc' })).toMatch(/^ {2}PORT: /m);
    expect(refusal({ PORT: '70000' })).toMatch(/PORT/);
  });

  it('refuses production without JWT_SECRET, and a short one', () => {
    expect(refusal({ NODE_ENV: 'production' })).toMatch(/JWT_SECRET is required in production/);
    expect(refusal({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toMatch(/JWT_SECRET must be at least 32 characters/);
  });

  it('refuses a DATABASE_URL that is not a postgres URL', () => {
    expect(refusal({ DATABASE_URL: 'localhost:5432' })).toMatch(/DATABASE_URL must start with postgres:\/\//);
    expect(refusal({ DATABASE_URL: 'not a url' })).toMatch(/DATABASE_URL must be a URL/);
    expect(refusal({ DATABASE_APP_URL: 'mysql://app@db/taskgraph', MIGRATE_ON_START: 'false' })).toMatch(/DATABASE_APP_URL/);
  });

  it('refuses to migrate with only the app connection', () => {
    expect(refusal({ DATABASE_APP_URL: 'postgres://taskgraph_app:pw@db/taskgraph' })).toMatch(/MIGRATE_ON_START: migrating needs DATABASE_URL/);
    expect(loadConfig({ DATABASE_APP_URL: 'postgres://taskgraph_app:pw@db/taskgraph', MIGRATE_ON_START: 'false' }).database.migrateOnStart).toBe(false);
  });

  it('reports every bad variable at once', () => {
    const message = refusal({ PORT: 'abc', LOG_LEVEL: 'loud', SEED_DEMO: 'maybe' });
    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).toMatch(/SEED_DEMO/);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', SEED_DEMO: '' });
    expect(config.port).toBe(4000);
    expect(config.database.url).toBeUndefined();
    expect(config.seedDemo).toBe(true);
  });

  it('seeds the demo login and serves GraphiQL by default, except in production', () => {
    const production = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) });
    expect(production.seedDemo).toBe(false);
    expect(production.graphiql).toBe(false);
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SEED_DEMO: 'true' }).seedDemo).toBe(true);
  });

  it('reads the app role password and the shutdown timeout', () => {
    const config = loadConfig({ DATABASE_APP_PASSWORD: 's3cret', SHUTDOWN_TIMEOUT_MS: '2500' });
    expect(config.database.appPassword).toBe('s3cret');
    expect(config.shutdownTimeoutMs).toBe(2500);
  });
});

describe('npm start with a bad variable', () => {
  it('prints which variable is wrong and exits 1, without a stack trace', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'abc', DATABASE_URL: 'nope' },
      timeout: 20_000,
    });
    const failure = (await run.then(
      () => null,
      (error: unknown) => error,
    )) as { code: number; stdout: string; stderr: string } | null;
    expect(failure?.code).toBe(1);
    expect(failure!.stderr).toMatch(/Invalid configuration:\n {2}PORT: .*\n {2}DATABASE_URL: /);
    expect(failure!.stderr).not.toMatch(/\n\s+at /);
  });
});
