import type postgres from 'postgres';
import { EMAIL_DOMAIN, SLUG_PREFIX, type ScalePlan } from './plan';
import type { TableSeeder } from './tables/index';

export type TableReport = { table: string; generated: number; inDatabase: number; seconds: number };
export type CheckResult = { check: string; ok: boolean; detail: string };

/** The organizations a run generated (a subquery fragment; build a new one per query). */
const scaleOrganizations = (sql: postgres.Sql) => sql`select id from organizations where slug like ${`${SLUG_PREFIX}%`}`;

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
export async function verifyInvariants(sql: postgres.Sql, plan: ScalePlan, tables: readonly string[]): Promise<CheckResult[]> {
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
