import postgres from 'postgres';
import { deriveAppUrl } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { runMigrations } from '../db/migrate';

export type BenchDatabase = { ownerUrl: string; appUrl: string; drop(): Promise<void> };

const EMBEDDED_DIR = '.data/postgres-bench-fanout';
const EMBEDDED_PORT = 54341;

const withDatabase = (url: string, database: string) => {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
};

/**
 * A fresh, migrated database for one run (DATABASE_URL's server, else an
 * embedded one), dropped afterwards: the run never touches existing data.
 */
export async function createBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres(EMBEDDED_DIR, EMBEDDED_PORT);
  const serverUrl = process.env.DATABASE_URL ?? embedded!.url;
  const name = `taskgraph_fanout_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(serverUrl, name);
  const password = new URL(serverUrl).password ? decodeURIComponent(new URL(serverUrl).password) : undefined;
  log(`database ${name} (${embedded ? 'embedded' : 'DATABASE_URL'}), migrating ...`);
  await runMigrations(ownerUrl, password);
  return {
    ownerUrl,
    appUrl: deriveAppUrl(ownerUrl, undefined, password),
    async drop() {
      const cleanup = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`).finally(() => cleanup.end());
      await embedded?.stop();
    },
  };
}

/** Transactions committed and rows returned in this database so far (pg_stat_database): the server's DB work. */
export async function databaseCounters(ownerUrl: string): Promise<{ commits: number; tuplesReturned: number }> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    // Statistics are per snapshot: clear it so the numbers are current.
    await sql`select pg_stat_clear_snapshot()`;
    const [row] = await sql<{ commits: string; returned: string }[]>`
      select xact_commit as commits, tup_returned as returned from pg_stat_database where datname = current_database()`;
    return { commits: Number(row!.commits), tuplesReturned: Number(row!.returned) };
  } finally {
    await sql.end();
  }
}
