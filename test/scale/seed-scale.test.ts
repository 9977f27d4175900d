import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMentions } from '../../src/modules/comments/comment-mentions';
import { parseScaleArgs, seedScale, type SeedScaleResult } from '../../src/scale/index';
import { creationRanks } from '../../src/scale/tables/activity-events';
import { TABLE_SEEDERS } from '../../src/scale/tables/index';
import { requiredColumns } from '../../src/scale/tables/table-seeder';
import { timestamp } from '../../src/scale/timeline';
import { isAcyclic, verifyInvariants } from '../../src/scale/verify';
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
      || (select string_agg(concat_ws('|', id, task_id, project_id, author_id, body, created_at), ',' order by id) from comments)
      || (select string_agg(concat_ws('|', comment_id, user_id), ',' order by comment_id, user_id) from comment_mentions)
      || (select string_agg(concat_ws('|', comment_id, user_id, emoji, created_at), ',' order by comment_id, user_id, emoji) from comment_reactions)
      -- seq counts from wherever the database's realtime sequence stood: compare positions, not numbers.
      || (select string_agg(concat_ws('|', id, seq - (select min(seq) from activity_events), verb, subject_id, actor_id, created_at), ',' order by id)
          from activity_events)
    ) as digest`;
  return row!.digest as string;
}

/** Every key, foreign key and index as defined: what the load takes away for its COPYs and must put back. */
async function schemaDefinitions(t: TestApp) {
  const rows = await t.owner.sql`
    select conrelid::regclass::text as owner, conname as name, pg_get_constraintdef(oid) as definition, convalidated as validated
    from pg_constraint where connamespace = 'public'::regnamespace
    union all
    select tablename, indexname, indexdef, true from pg_indexes where schemaname = 'public'
    order by 1, 2, 3`;
  return rows.map((row) => ({ ...row }));
}

let first: TestApp;
let second: TestApp;
let result: SeedScaleResult;
/** The schema of a migrated database nothing was seeded into. */
let pristine: Awaited<ReturnType<typeof schemaDefinitions>>;

beforeAll(async () => {
  [first, second] = await Promise.all([startTestApp(), startTestApp()]);
  pristine = await schemaDefinitions(second);
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
    expect(result.tables.find((table) => table.table === 'comments')).toMatchObject({ generated: 4000, inDatabase: 4000 });
    expect(result.tables.find((table) => table.table === 'activity_events')).toMatchObject({ generated: 6000, inDatabase: 6000 });
    for (const table of result.tables) expect(table.inDatabase, table.table).toBeGreaterThan(0);
  });

  it('puts back every index, key and foreign key it set aside for loading', async () => {
    expect(pristine.length).toBeGreaterThan(100);
    expect(await schemaDefinitions(first)).toEqual(pristine);
  });

  it('spreads comments unevenly: most tasks have few or none, a few long threads, some on projects', async () => {
    const [shape] = await first.owner.sql`
      select
        (select count(*)::int from comments where project_id is not null) as on_projects,
        (select count(distinct task_id)::int from comments) as commented,
        (select max(n)::int from (select count(*) as n from comments where task_id is not null group by task_id) threads) as longest,
        (select count(*)::int from comments c join tasks t on t.id = c.task_id where c.created_at <= t.created_at) as before_task,
        (select count(*)::int from comments c join tasks t on t.id = c.task_id where c.organization_id <> t.organization_id) as other_org,
        (select count(distinct length(body))::int from comments) as lengths`;
    expect(shape!.on_projects).toBeGreaterThan(0);
    expect(shape!.on_projects).toBeLessThan(4000 * 0.1);
    expect(shape!.commented).toBeLessThan(2000 * 0.6);
    expect(shape!.longest).toBeGreaterThan(20);
    expect(shape!.before_task).toBe(0);
    expect(shape!.other_org).toBe(0);
    expect(shape!.lengths).toBeGreaterThan(50);
  });

  it('writes mentions the API parses back to the seeded mention rows', async () => {
    const rows = await first.owner.sql<{ body: string; mentioned: string[] }[]>`
      select c.body, array_agg(m.user_id::text order by m.user_id) as mentioned
      from comments c join comment_mentions m on m.organization_id = c.organization_id and m.comment_id = c.id
      group by c.id, c.body limit 50`;
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) expect(parseMentions(row.body, 'body').map((mention) => mention.userId).sort()).toEqual(row.mentioned);
  });

  it('numbers activity in creation order and leaves the realtime sequence after it', async () => {
    const events = await first.owner.sql<{ seq: string; ms: number; verb: string }[]>`
      select seq, (extract(epoch from created_at) * 1000)::float8 as ms, verb from activity_events order by seq`;
    const seqs = events.map((event) => Number(event.seq));
    expect(seqs).toEqual(Array.from({ length: 6000 }, (_, i) => seqs[0]! + i));
    expect(events.filter((event, i) => i > 0 && event.ms < events[i - 1]!.ms)).toEqual([]);
    expect(new Set(events.map((event) => event.verb))).toEqual(new Set(['task.created', 'comment.created']));

    // A live event after seeding, numbered by the same function the sequencer calls.
    const [task] = await first.owner.sql`select organization_id, id, project_id from tasks limit 1`;
    await first.owner.sql`
      insert into activity_events (id, organization_id, verb, subject_type, subject_id, project_id, task_id)
      values (gen_random_uuid(), ${task!.organization_id}, 'task.updated', 'task', ${task!.id}, ${task!.project_id}, ${task!.id})`;
    const numbered = await first.owner.sql`select seq from assign_realtime_seq(10)`;
    expect(numbered.map((row) => Number(row.seq))).toEqual([seqs.at(-1)! + 1]);
    // Leave the seeded data as generated for the comparison below.
    await first.owner.sql`delete from activity_events where verb = 'task.updated'`;
  });

  it('fails its own checks when the data is tampered with', async () => {
    const tables = TABLE_SEEDERS.map((seeder) => seeder.table);
    const failed = async (tamper: (tx: postgres.TransactionSql) => Promise<unknown>) => {
      let names: string[] = [];
      await first.owner.sql
        .begin(async (tx) => {
          await tamper(tx);
          names = (await verifyInvariants(tx, result.plan, tables)).filter((check) => !check.ok).map((check) => check.check);
          throw new Error('roll back');
        })
        .catch((error: Error) => expect(error.message).toBe('roll back'));
      return names;
    };
    expect(await failed(async () => {})).toEqual([]);
    expect(await failed((tx) => tx`update activity_events set created_at = created_at + interval '1 ms' where seq = (select min(seq) + 5 from activity_events)`))
      .toEqual(['one activity event per task and per comment, matching it']);
    expect(await failed((tx) => tx`update activity_events set seq = -seq where seq = (select min(seq) from activity_events)`))
      .toEqual(['activity seq unique and increasing with creation time']);
    expect(await failed((tx) => tx`
      update comments c set author_id = m.user_id from organization_members m
      where m.organization_id = c.organization_id and m.role = 'viewer' and c.id = (
        select c2.id from comments c2 join organization_members v on v.organization_id = c2.organization_id and v.role = 'viewer' limit 1)`))
      .toEqual(['comment authors are members who may comment', 'one activity event per task and per comment, matching it']);

    // Sequences ignore rollbacks: put it back by hand.
    const [sequence] = await first.owner.sql`select last_value, is_called from realtime_event_seq`;
    try {
      expect(await failed((tx) => tx`select setval('realtime_event_seq', (select max(seq) from activity_events), true)`)).toEqual([]);
      expect(await failed((tx) => tx`select setval('realtime_event_seq', (select max(seq) from activity_events), false)`))
        .toEqual(['live events numbered after the seeded ones']);
    } finally {
      await first.owner.sql`select setval('realtime_event_seq', ${sequence!.last_value}, ${sequence!.is_called})`;
    }
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
      // Organizations reference plans: with none left, putting that foreign key back after the organizations COPY fails.
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

  it('ranks events by time, equal times in the order given', () => {
    const times = Float64Array.from([5, 2 ** 40, 3, 5, 0, 3, 2 ** 33 + 1]);
    expect([...creationRanks(times)]).toEqual([3, 6, 1, 4, 0, 2, 5]);
    expect(creationRanks(new Float64Array(0))).toHaveLength(0);
  });

  it('writes timestamps exactly as Date#toISOString', () => {
    for (const ms of [0, 999, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2025, 5, 1), 1_700_000_000_123]) {
      expect(timestamp(ms)).toBe(new Date(ms).toISOString());
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
      comments: 2_000_000,
      subtaskShare: 0.3,
      maxDepth: 8,
      seed: 'taskgraph',
      reset: false,
      databaseUrl: env.DATABASE_URL,
    });
  });

  it('takes --comments, and rejects tables that do not exist yet, bad numbers and a missing database', () => {
    expect(parseScaleArgs(['--orgs', '2', '--tasks', '9', '--comments', '0'], env).comments).toBe(0);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9', '--time-entries', '5'], env)).toThrow(/not available yet/);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9', '--comments', '-1'], env)).toThrow(/comments/);
    expect(() => parseScaleArgs(['--orgs', 'many', '--tasks', '9'], env)).toThrow(/--orgs must be a number/);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9', '--subtask-share', '2'], env)).toThrow(/subtaskShare/);
    expect(() => parseScaleArgs(['--orgs', '2', '--tasks', '9'], {})).toThrow(/DATABASE_URL/);
    expect(() => parseScaleArgs(['--tasks', '9'], env)).toThrow(/--orgs and --tasks are required/);
  });
});
