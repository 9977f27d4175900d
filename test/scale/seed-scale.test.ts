import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScaleArgs, seedScale, type SeedScaleResult } from '../../src/scale/index';
import { TABLE_SEEDERS } from '../../src/scale/tables/index';
import { requiredColumns } from '../../src/scale/tables/table-seeder';
import { isAcyclic } from '../../src/scale/verify';
import { startTestApp, type TestApp } from '../support/harness';

const TINY = { organizations: 20, tasks: 2000, seed: 'vitest' };

/** The harness only exposes the app role's URL; the owner's is the same database under the owner role. */


/** A fingerprint of everything generated that has an identity or text. */
async function checksum(t: TestApp): Promise<string> {
  const [row] = await t.owner.sql`
    select md5(
      (select string_agg(concat_ws('|', id, project_id, parent_id, milestone_id, assignee_id, title, status, priority, rank, due_date, created_at), ',' order by id) from tasks)
      || (select string_agg(concat_ws('|', id, email, password_hash), ',' order by id) from users)
      || (select string_agg(concat_ws('|', organization_id, task_id, label_id), ',' order by organization_id, task_id, label_id) from task_labels)
      || (select string_agg(concat_ws('|', id, from_task_id, to_task_id, type), ',' order by id) from task_dependencies)
    ) as digest`;
  return row!.digest as string;
}

let first: TestApp;
let second: TestApp;
let result: SeedScaleResult;

beforeAll(async () => {
  [first, second] = await Promise.all([startTestApp(), startTestApp()]);
  result = await seedScale({ ...TINY, databaseUrl: first.ownerUrl });
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
});

describe('seedScale', () => {
  it('writes what it planned and passes its own integrity checks', () => {
    expect(result.checks.filter((check) => !check.ok)).toEqual([]);
    expect(result.ok).toBe(true);
    const tasks = result.tables.find((table) => table.table === 'tasks')!;
    expect(tasks).toMatchObject({ generated: 2000, inDatabase: 2000 });
    expect(result.tables.find((table) => table.table === 'users')!.inDatabase).toBe(100);
    for (const table of result.tables) expect(table.inDatabase, table.table).toBeGreaterThan(0);
  });

  it('skews tenant sizes: one large organization and a long tail', async () => {
    const sizes = await first.owner.sql<{ n: number }[]>`select count(*)::int as n from tasks group by organization_id order by n desc`;
    expect(sizes).toHaveLength(20);
    const counts = sizes.map((row) => row.n);
    expect(counts[0]! / 2000).toBeGreaterThan(0.15);
    expect(counts[0]!).toBeGreaterThan(5 * counts[10]!);
    expect(counts[0]).toBe(result.plan.organizations[0]!.taskCount);
  });

  it('builds the --max-depth subtask chain and keeps subtasks in their parent\'s project', async () => {
    const [tree] = await first.owner.sql`
      with recursive tree as (
        select organization_id, id, project_id, 0 as depth from tasks where parent_id is null
        union all
        select child.organization_id, child.id, child.project_id, tree.depth + 1
        from tasks child join tree on child.organization_id = tree.organization_id and child.parent_id = tree.id
        where child.project_id = tree.project_id
      )
      select max(depth)::int as depth, count(*)::int as reached from tree`;
    expect(tree).toEqual({ depth: 8, reached: 2000 });
    const [share] = await first.owner.sql`select avg((parent_id is not null)::int)::float as share from tasks`;
    expect(share!.share).toBeGreaterThan(0.25);
    expect(share!.share).toBeLessThan(0.35);
  });

  it('gives the same rows, ids included, for the same seed, and different ones for another seed', async () => {
    await seedScale({ ...TINY, databaseUrl: second.ownerUrl });
    const digest = await checksum(first);
    expect(await checksum(second)).toBe(digest);

    const other = await seedScale({ ...TINY, seed: 'another', reset: true, databaseUrl: second.ownerUrl });
    expect(other.ok).toBe(true);
    expect(await checksum(second)).not.toBe(digest);
  });

  it('refuses to seed on top of an earlier run unless asked to reset', async () => {
    await expect(seedScale({ ...TINY, databaseUrl: first.ownerUrl })).rejects.toThrow(/--reset/);
    const [row] = await first.owner.sql`select count(*)::int as n from tasks`;
    expect(row!.n).toBe(2000);
  });

  it('lets the app role see exactly one organization\'s tasks when scoped to it', async () => {
    const largest = result.plan.organizations[0]!;
    const app = postgres(first.appUrl, { max: 1, onnotice: () => {} });
    try {
      const scoped = await app.begin(async (tx) => {
        await tx`select set_config('app.organization_ids', ${`{${largest.id}}`}, true)`;
        return tx`select organization_id, count(*)::int as n from tasks group by organization_id`;
      });
      expect(scoped.map((row) => ({ ...row }))).toEqual([{ organization_id: largest.id, n: largest.taskCount }]);
      const unscoped = await app`select count(*)::int as n from tasks`;
      expect(unscoped[0]!.n).toBe(0);
    } finally {
      await app.end();
    }
  });

  it('reports a row the server refuses and writes nothing', async () => {
    const broken = await startTestApp();
    try {
      // Organizations reference plans: with none left, the organizations COPY fails at its end (a foreign key check).
      await broken.owner.sql`delete from plans`;
      await expect(seedScale({ ...TINY, databaseUrl: broken.ownerUrl })).rejects.toThrow(/organizations_plan_id_plans_id_fk/);
      const [row] = await broken.owner.sql`select count(*)::int as n from users`;
      expect(row!.n).toBe(0);
    } finally {
      await broken.close();
    }
  });

  it('refuses a connection that row-level security applies to', async () => {
    await expect(seedScale({ ...TINY, databaseUrl: first.appUrl })).rejects.toThrow(/row-level security/);
  });
});

describe('generator modules', () => {
  it('list every column the database cannot fill itself', () => {
    for (const seeder of TABLE_SEEDERS) {
      expect(requiredColumns(seeder.schemaTable).filter((column) => !seeder.columns.includes(column)), seeder.table).toEqual([]);
    }
  });

  it('detects a cycle of blocking links', () => {
    expect(isAcyclic([['a', 'b'], ['b', 'c']])).toBe(true);
    expect(isAcyclic([['a', 'b'], ['b', 'c'], ['c', 'a']])).toBe(false);
  });
});

describe('parseScaleArgs', () => {
  const env = { DATABASE_URL: 'postgres://postgres@localhost:5432/x' };

  it('applies the defaults', () => {
    expect(parseScaleArgs(['--orgs', '2000', '--tasks', '1000000'], env)).toEqual({
      organizations: 2000,
      tasks: 1_000_000,
      users: 10_000,
      subtaskShare: 0.3,
      maxDepth: 8,
      seed: 'taskgraph',
      reset: false,
      databaseUrl: env.DATABASE_URL,
    });
  });

  it('rejects tables that do not exist yet, bad numbers and a missing database', () => {
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9', '--comments', '5'], env)).toThrow(/not available yet/);
    expect(() => parseScaleArgs(['--orgs', 'many', '--tasks', '9'], env)).toThrow(/--orgs must be a number/);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9', '--subtask-share', '2'], env)).toThrow(/subtaskShare/);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9'], {})).toThrow(/DATABASE_URL/);
    expect(() => parseScaleArgs(['--tasks', '9'], env)).toThrow(/--orgs and --tasks are required/);
  });
});
