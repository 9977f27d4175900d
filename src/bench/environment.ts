import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import postgres from 'postgres';

export type Environment = {
  commit: string;
  dirty: boolean;
  node: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  postgres: string;
  dataset: { organizations: number; tasks: number; users: number };
  /** 1, 5 and 15 minutes: other work on the machine (tests, builds) shares the two cores with the run. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
};

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export async function describeEnvironment(ownerUrl: string): Promise<Environment> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [version] = await sql`select current_setting('server_version') as v`;
    // Planner estimates: exact counts of a million rows would cost seconds and tell nothing more.
    const estimates = await sql<{ relname: string; n: number }[]>`
      select relname, reltuples::bigint::float8 as n from pg_class
      where relname in ('organizations', 'tasks', 'users') and relkind = 'r'`;
    const estimate = (name: string) => Math.round(estimates.find((row) => row.relname === name)?.n ?? 0);
    return {
      commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
      dirty: (git(['status', '--porcelain']) ?? '') !== '',
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 1024 ** 3),
      postgres: String(version?.v ?? 'unknown'),
      dataset: { organizations: estimate('organizations'), tasks: estimate('tasks'), users: estimate('users') },
      loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
    };
  } finally {
    await sql.end();
  }
}
