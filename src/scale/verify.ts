import type postgres from 'postgres';
import { EMAIL_DOMAIN, SLUG_PREFIX, type ScalePlan } from './plan';
import type { TableSeeder } from './tables/index';

/** `seconds`: generating and copying the rows; `indexSeconds`: rebuilding indexes and foreign keys afterwards. */
export type TableReport = { table: string; generated: number; inDatabase: number; seconds: number; indexSeconds: number };
export type CheckResult = { check: string; ok: boolean; detail: string };

/** A connection or a transaction. */
type Queries = postgres.Sql | postgres.TransactionSql;

/** The organizations a run generated (a subquery fragment; build a new one per query). */
const scaleOrganizations = (sql: Queries) => sql`select id from organizations where slug like ${`${SLUG_PREFIX}%`}`;

/** Rows of `table` that belong to the generated dataset (other data, e.g. the demo organization, may share the database). */
function scaleRows(sql: postgres.Sql, seeder: TableSeeder) {
  if (seeder.table === 'users') return sql`select count(*)::int as n from users where email like ${`%@${EMAIL_DOMAIN}`}`;
  if (seeder.table === 'organizations') return sql`select count(*)::int as n from organizations where slug like ${`${SLUG_PREFIX}%`}`;
  if (!seeder.columns.includes('organization_id')) throw new Error(`cannot tell generated rows of ${seeder.table} apart`);
  return sql`
    select count(*)::int as n from ${sql(seeder.table)}
    where organization_id in (${scaleOrganizations(sql)})`;
}

export async function countScaleRows(sql: postgres.Sql, seeder: TableSeeder): Promise<number> {
  const [row] = await scaleRows(sql, seeder);
  return row!.n as number;
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/**
 * What Postgres does not enforce on its own, checked after loading. Existence
 * and same-organization rules are the composite foreign keys' job; the first
 * check proves they are all in force.
 */
export async function verifyInvariants(sql: Queries, plan: ScalePlan, tables: readonly string[]): Promise<CheckResult[]> {
  const scaleOrgs = () => scaleOrganizations(sql);
  const checks: CheckResult[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });

  const [fk] = await sql`
    select count(*)::int as n from pg_constraint
    where contype = 'f' and conrelid::regclass::text = any(${[...tables]}) and not convalidated`;
  const [triggers] = await sql`
    select count(*)::int as n from pg_trigger
    where tgisinternal and tgenabled = 'D' and tgrelid::regclass::text = any(${[...tables]})`;
  add('foreign keys validated and enforced', fk!.n === 0 && triggers!.n === 0, `${fk!.n} not validated, ${triggers!.n} disabled triggers`);

  const [largest] = await sql`
    select organization_id, count(*)::int as n from tasks
    where organization_id in (${scaleOrgs()}) group by organization_id order by n desc limit 1`;
  const expected = plan.organizations[0]!;
  const share = plan.options.tasks > 0 ? (largest?.n ?? 0) / plan.options.tasks : 0;
  add(
    'largest organization share of tasks',
    plan.options.tasks === 0 || (largest?.n ?? 0) === expected.taskCount,
    `${percent(share)} (${(largest?.n ?? 0).toLocaleString('en-US')} tasks, ${expected.members.length} members, ${expected.projects.length} projects)`,
  );

  const [tree] = await sql`
    with recursive tree as (
      select organization_id, id, 0 as depth from tasks where parent_id is null and organization_id in (${scaleOrgs()})
      union all
      select child.organization_id, child.id, tree.depth + 1
      from tasks child join tree on child.organization_id = tree.organization_id and child.parent_id = tree.id
    )
    select coalesce(max(depth), 0)::int as depth, count(*)::int as reached from tree`;
  const wantedDepth = plan.deepChain?.depth ?? 0;
  add('deepest subtask chain', tree!.depth === wantedDepth, `depth ${tree!.depth} (asked ${plan.options.maxDepth}, planned ${wantedDepth})`);
  add('every task reachable from a root (no parent cycles)', tree!.reached === plan.options.tasks, `${tree!.reached.toLocaleString('en-US')} reached`);

  const [crossing] = await sql`
    select
      (select count(*)::int from tasks child join tasks parent on parent.organization_id = child.organization_id and parent.id = child.parent_id
       where child.project_id <> parent.project_id and child.organization_id in (${scaleOrgs()})) as parents,
      (select count(*)::int from tasks join milestones m on m.organization_id = tasks.organization_id and m.id = tasks.milestone_id
       where m.project_id <> tasks.project_id and tasks.organization_id in (${scaleOrgs()})) as milestones`;
  add('parents and milestones in the task\'s own project', crossing!.parents === 0 && crossing!.milestones === 0,
    `${crossing!.parents} parents, ${crossing!.milestones} milestones elsewhere`);

  const [shape] = await sql`
    select
      count(*) filter (where parent_id is not null)::int as subtasks,
      count(*) filter (where (status in ('done', 'canceled')) <> (completed_at is not null))::int as completion_mismatches,
      count(*) filter (where status = 'done')::int as done
    from tasks where organization_id in (${scaleOrgs()})`;
  const subtaskShare = plan.options.tasks > 0 ? shape!.subtasks / plan.options.tasks : 0;
  add('completed_at set exactly for done/canceled tasks', shape!.completion_mismatches === 0,
    `${shape!.completion_mismatches} mismatches; ${percent(plan.options.tasks ? shape!.done / plan.options.tasks : 0)} done`);
  add('subtask share close to --subtask-share', Math.abs(subtaskShare - plan.options.subtaskShare) <= 0.05 || plan.options.tasks < 100,
    `${percent(subtaskShare)} (asked ${percent(plan.options.subtaskShare)})`);

  const [ranks] = await sql`
    select count(*)::int as n from (
      select 1 from tasks where organization_id in (${scaleOrgs()})
      group by organization_id, project_id, parent_id, rank having count(*) > 1
    ) duplicates`;
  add('ranks unique within each sibling list', ranks!.n === 0, `${ranks!.n} duplicated ranks`);

  const [viewers] = await sql`
    select count(*)::int as n from tasks
    join organization_members m on m.organization_id = tasks.organization_id and m.user_id = tasks.assignee_id
    where m.role = 'viewer' and tasks.organization_id in (${scaleOrgs()})`;
  add('assignees are members who may edit', viewers!.n === 0, `${viewers!.n} tasks assigned to viewers`);

  const blocks = await sql<{ organization_id: string; from_task_id: string; to_task_id: string }[]>`
    select organization_id, from_task_id, to_task_id from task_dependencies
    where type = 'blocks' and organization_id in (${scaleOrgs()})`;
  const cycleFree = isAcyclic(blocks.map((edge) => [`${edge.organization_id}/${edge.from_task_id}`, `${edge.organization_id}/${edge.to_task_id}`]));
  add('blocking links acyclic', cycleFree, `${blocks.length.toLocaleString('en-US')} blocks links`);

  checks.push(...(await verifyComments(sql, plan)), ...(await verifyActivity(sql, plan)));
  return checks;
}

const number = (value: number) => value.toLocaleString('en-US');

async function verifyComments(sql: Queries, plan: ScalePlan): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });

  const [comments] = await sql`
    select
      count(*) filter (where c.created_at <= coalesce(t.created_at, p.created_at))::int as early,
      count(*) filter (where m.user_id is null or m.role = 'viewer')::int as not_commenters,
      count(*) filter (where c.project_id is not null)::int as on_projects
    from comments c
    left join tasks t on t.organization_id = c.organization_id and t.id = c.task_id
    left join projects p on p.organization_id = c.organization_id and p.id = c.project_id
    left join organization_members m on m.organization_id = c.organization_id and m.user_id = c.author_id
    where c.organization_id in (${scaleOrganizations(sql)})`;
  add('comments created after their task or project', comments!.early === 0, `${comments!.early} too early; ${number(comments!.on_projects)} on projects`);
  add('comment authors are members who may comment', comments!.not_commenters === 0, `${comments!.not_commenters} by non-members or viewers`);

  const [threads] = await sql`
    select count(*)::int as commented, coalesce(max(n), 0)::int as longest
    from (select count(*) as n from comments where task_id is not null and organization_id in (${scaleOrganizations(sql)}) group by organization_id, task_id) threads`;
  const { tasks } = plan.options;
  const mean = tasks > 0 ? plan.options.comments / tasks : 0;
  // Skewed: a good share of tasks without any comment, and the longest thread far above the mean.
  const skewed = plan.options.comments < 1_000 || tasks === 0 || (threads!.commented < 0.8 * tasks && threads!.longest >= 10 * mean);
  add('comments skewed across tasks', skewed,
    `${percent(tasks ? threads!.commented / tasks : 0)} of tasks have comments; longest thread ${number(threads!.longest)} (mean ${mean.toFixed(1)} per task)`);

  const [reactions] = await sql`
    select
      (select count(*)::int from comment_reactions r
       where r.organization_id in (${scaleOrganizations(sql)})
         and not exists (select 1 from organization_members m where m.organization_id = r.organization_id and m.user_id = r.user_id)) as reactions,
      (select count(*)::int from comment_mentions x
       join comments c on c.organization_id = x.organization_id and c.id = x.comment_id
       where x.organization_id in (${scaleOrganizations(sql)}) and position(x.user_id::text in c.body) = 0) as mentions`;
  add('reactions by members; mentions written in the body', reactions!.reactions === 0 && reactions!.mentions === 0,
    `${reactions!.reactions} reactions by non-members, ${reactions!.mentions} mentions missing from their comment`);
  return checks;
}

/**
 * Sums of per-row hashes of `columns` (SQL expressions of type uuid or
 * timestamptz, nulls allowed): two tables with equal sums hold the same rows,
 * duplicates included, with overwhelming probability, from one scan each
 * instead of a join of millions of rows.
 */
function fingerprint(sql: Queries, columns: readonly string[], filter = 'true') {
  const hashes = columns.map((column, position) =>
    column.endsWith('created_at')
      ? `timestamp_hash_extended(${column}::timestamp, ${position})`
      : `coalesce(uuid_hash_extended(${column}, ${position}), 0)`,
  );
  return sql.unsafe(`coalesce(sum(${hashes.join(' # ')}) filter (where ${filter}), 0)::text`);
}

/**
 * The feed mirrors the data (one task.created per task and one
 * comment.created per comment, with its subject's author and time) and is
 * numbered as the sequencer would have: every event, uniquely, in creation
 * order, below the next number.
 */
async function verifyActivity(sql: Queries, plan: ScalePlan): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  const add = (check: string, ok: boolean, detail: string) => checks.push({ check, ok, detail });

  const subjectColumns = {
    tasks: fingerprint(sql, ['id', 'id', 'project_id', 'created_by', 'created_at']),
    comments: fingerprint(sql, ['id', 'task_id', 'author_id', 'created_at']),
  };
  const eventColumns = {
    tasks: fingerprint(sql, ['subject_id', 'task_id', 'project_id', 'actor_id', 'created_at'], `verb = 'task.created'`),
    comments: fingerprint(sql, ['subject_id', 'task_id', 'actor_id', 'created_at'], `verb = 'comment.created'`),
  };
  const [subjects] = await sql`
    select
      (select ${subjectColumns.tasks} from tasks where organization_id in (${scaleOrganizations(sql)})) as tasks,
      (select ${subjectColumns.comments} from comments where organization_id in (${scaleOrganizations(sql)})) as comments`;
  const [events] = await sql`
    select
      count(*) filter (where verb = 'task.created')::int as task_events,
      count(*) filter (where verb = 'comment.created')::int as comment_events,
      ${eventColumns.tasks} as tasks,
      ${eventColumns.comments} as comments
    from activity_events where organization_id in (${scaleOrganizations(sql)})`;
  const { tasks, comments } = plan.options;
  const matching = [events!.tasks === subjects!.tasks, events!.comments === subjects!.comments];
  add('one activity event per task and per comment, matching it',
    events!.task_events === tasks && events!.comment_events === comments && matching.every(Boolean),
    `${number(events!.task_events)} task.created, ${number(events!.comment_events)} comment.created; `
      + `task events ${matching[0] ? 'match' : 'DIFFER FROM'} tasks, comment events ${matching[1] ? 'match' : 'DIFFER FROM'} comments`);

  const [order] = await sql`
    select
      count(*)::int as events,
      count(*) filter (where seq is null)::int as unnumbered,
      count(*) filter (where previous_created > created_at)::int as out_of_order,
      min(seq)::bigint as first, max(seq)::bigint as last
    from (
      select seq, created_at, lag(created_at) over (order by seq) as previous_created
      from activity_events where organization_id in (${scaleOrganizations(sql)})
    ) numbered`;
  const first = Number(order!.first ?? 0);
  const last = Number(order!.last ?? 0);
  // The seed claims one block of numbers: no holes, no number used twice (the unique index would have refused it).
  const contiguous = order!.events === 0 || last - first + 1 === order!.events;
  add('activity seq unique and increasing with creation time', order!.unnumbered === 0 && order!.out_of_order === 0 && contiguous,
    `seq ${number(first)} to ${number(last)}; ${order!.unnumbered} unnumbered, ${order!.out_of_order} out of creation order`);

  const [sequence] = await sql`
    select
      (select case when is_called then last_value + 1 else last_value end from realtime_event_seq)::bigint as next,
      greatest((select max(seq) from activity_events), (select max(seq) from notifications))::bigint as highest`;
  const next = Number(sequence!.next);
  const highest = sequence!.highest === null ? null : Number(sequence!.highest);
  add('live events numbered after the seeded ones', highest === null || next > highest,
    `next seq ${number(next)}, highest in use ${highest === null ? 'none' : number(highest)}`);
  return checks;
}

/** Kahn's algorithm: every node can be removed in dependency order iff there is no cycle. */
export function isAcyclic(edges: readonly (readonly [string, string])[]): boolean {
  const incoming = new Map<string, number>();
  const outgoing = new Map<string, string[]>();
  for (const [from, to] of edges) {
    incoming.set(to, (incoming.get(to) ?? 0) + 1);
    if (!incoming.has(from)) incoming.set(from, 0);
    const list = outgoing.get(from);
    if (list) list.push(to);
    else outgoing.set(from, [to]);
  }
  const ready = [...incoming].filter(([, degree]) => degree === 0).map(([node]) => node);
  let removed = 0;
  while (ready.length > 0) {
    const node = ready.pop()!;
    removed++;
    for (const next of outgoing.get(node) ?? []) {
      const degree = incoming.get(next)! - 1;
      incoming.set(next, degree);
      if (degree === 0) ready.push(next);
    }
  }
  return removed === incoming.size;
}
