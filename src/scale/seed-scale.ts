import postgres from 'postgres';
import { copyRows } from './copy';
import { deferIndexes } from './deferred-indexes';
import { resolveOptions, type ScaleOptions, type ScaleOptionsInput } from './options';
import { buildPlan, EMAIL_DOMAIN, SLUG_PREFIX, type ScalePlan } from './plan';
import { silentProgress, type Progress } from './progress';
import { TABLE_SEEDERS } from './tables/index';
import { scalePasswordHash } from './tables/users';
import { countScaleRows, verifyInvariants, type CheckResult, type TableReport } from './verify';

export type SeedScaleResult = {
  options: ScaleOptions;
  plan: ScalePlan;
  tables: TableReport[];
  checks: CheckResult[];
  /** Seconds per phase: load (all COPYs and index builds, one transaction), analyze, verify. */
  timings: Record<'load' | 'analyze' | 'verify', number>;
  seconds: number;
  /** Every table's count matches and every check passed. */
  ok: boolean;
};

/** The database is not one the generator may write to as asked (wrong role, data already there). */
export class ScaleRefusedError extends Error {
  override name = 'ScaleRefusedError';
}

/**
 * Generates the benchmark dataset and loads it with COPY in one transaction
 * (all or nothing), each table's indexes, keys and foreign keys rebuilt after
 * its COPY rather than maintained row by row (deferred-indexes.ts), then runs
 * ANALYZE and verifies it.
 *
 * Writes as the owner connection: the tenant tables have FORCE ROW LEVEL
 * SECURITY, so only a role that bypasses RLS (a superuser, as DATABASE_URL is
 * in development, or a BYPASSRLS role) can write every organization's rows
 * without a tenant scope. The app role (taskgraph_app) could not.
 */
export async function seedScale(input: ScaleOptionsInput, progress: Progress = silentProgress): Promise<SeedScaleResult> {
  const options = resolveOptions(input);
  const started = performance.now();
  const sql = postgres(options.databaseUrl, {
    max: 1,
    onnotice: (notice) => progress.note(`postgres: ${notice.message}`),
    connection: { application_name: 'taskgraph-seed-scale' },
  });
  try {
    await requireRlsBypass(sql);
    if (options.reset) await resetTables(sql, progress);
    else await requireNoScaleData(sql);

    const plan = buildPlan(options, await scalePasswordHash(options.seed));
    const generated = new Map<string, { rows: number; seconds: number; indexSeconds: number }>();
    const loadStarted = performance.now();
    await sql.begin(async (tx) => {
      // Durability of this one commit is not worth a flush wait: a crash just means seeding again.
      await tx`set local synchronous_commit = off`;
      // Index builds sort in memory, and foreign key validation (which borrows this setting) hashes in memory.
      await tx`set local maintenance_work_mem = '512MB'`;
      for (const seeder of TABLE_SEEDERS) {
        const tableStarted = performance.now();
        progress.start(seeder.table, seeder.expectedRows(plan));
        const restoreIndexes = await deferIndexes(tx, seeder.table);
        const load = await seeder.load(tx, plan);
        const rows = await copyRows(tx, seeder.table, seeder.columns, load.rows, (count) => progress.advance(count));
        await load.finish?.(rows);
        progress.finish(rows);
        const copied = performance.now();
        await restoreIndexes();
        generated.set(seeder.table, {
          rows,
          seconds: (copied - tableStarted) / 1000,
          indexSeconds: (performance.now() - copied) / 1000,
        });
      }
    });
    const loadSeconds = (performance.now() - loadStarted) / 1000;

    const analyzeStarted = performance.now();
    progress.note('analyze ...');
    for (const seeder of TABLE_SEEDERS) await sql`analyze ${sql(seeder.table)}`;
    const analyzeSeconds = (performance.now() - analyzeStarted) / 1000;

    const verifyStarted = performance.now();
    progress.note('verify ...');
    const tables: TableReport[] = [];
    for (const seeder of TABLE_SEEDERS) {
      const { rows, ...timing } = generated.get(seeder.table)!;
      tables.push({ table: seeder.table, generated: rows, inDatabase: await countScaleRows(sql, seeder), ...timing });
    }
    const checks = await sql.begin(async (tx) => {
      // The checks join and sort millions of rows: in memory rather than in temporary files.
      await tx`set local work_mem = '256MB'`;
      return verifyInvariants(tx, plan, TABLE_SEEDERS.map((seeder) => seeder.table));
    });
    const verifySeconds = (performance.now() - verifyStarted) / 1000;

    return {
      options,
      plan,
      tables,
      checks,
      timings: { load: loadSeconds, analyze: analyzeSeconds, verify: verifySeconds },
      seconds: (performance.now() - started) / 1000,
      ok: tables.every((table) => table.generated === table.inDatabase) && checks.every((check) => check.ok),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function requireRlsBypass(sql: postgres.Sql): Promise<void> {
  const [role] = await sql`select current_user as name, rolsuper or rolbypassrls as bypass from pg_roles where rolname = current_user`;
  if (!role?.bypass) {
    throw new ScaleRefusedError(
      `role ${role?.name ?? '?'} is subject to row-level security: connect as the owner with superuser or BYPASSRLS (DATABASE_URL, not the app role)`,
    );
  }
}

/**
 * Empties users and organizations and, through CASCADE, every table that
 * references them (sessions, projects, tasks, ... and tables added later).
 * Reference data such as plans stays.
 */
async function resetTables(sql: postgres.Sql, progress: Progress): Promise<void> {
  progress.note('reset: truncating users and organizations (cascading) ...');
  await sql`truncate table users, organizations cascade`;
}

async function requireNoScaleData(sql: postgres.Sql): Promise<void> {
  const [existing] = await sql`
    select exists (select 1 from organizations where slug like ${`${SLUG_PREFIX}%`})
        or exists (select 1 from users where email like ${`%@${EMAIL_DOMAIN}`}) as found`;
  if (existing?.found) throw new ScaleRefusedError('the database already holds generated scale data: pass --reset to replace it');
}
