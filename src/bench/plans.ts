import type postgres from 'postgres';

/** A node of EXPLAIN (FORMAT JSON) output. */
export type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Total Cost'?: number;
  'Plan Rows'?: number;
  Filter?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
};

export type ExplainedStatement = { statement: string; plan: PlanNode };

/** Tables carrying organization_id (a sequential scan of one reads every tenant's rows), with the planner's row estimate. */
export async function tenantTables(sql: postgres.Sql): Promise<Map<string, number>> {
  const rows = await sql<{ table: string; rows: number }[]>`
    select c.relname as table, greatest(c.reltuples, 0)::float8 as rows
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'organization_id' and not a.attisdropped)`;
  return new Map(rows.map((row) => [row.table, row.rows]));
}

/** Statements worth a plan: reads (and the reading part of data-modifying CTEs), not BEGIN, set_config or writes. */
export function isPlannableRead(statement: string): boolean {
  const text = statement.trim().toLowerCase();
  if (!(text.startsWith('select') || text.startsWith('with') || text.startsWith('('))) return false;
  return !/^select set_config\(/.test(text) && !/pg_advisory_xact_lock/.test(text);
}

/**
 * The plan the server runs for `statement` with these `parameters`: a custom
 * plan, as the app role always plans (plan_cache_mode = force_custom_plan,
 * set on the role by a migration). Runs as the app role with the viewer's RLS
 * settings, in a transaction that is rolled back.
 *
 * `indexesOnly` plans with enable_seqscan off: on a test-sized dataset a table
 * of a few pages is rightly read whole, so a Seq Scan left in that plan means
 * that no index can serve the query at all, whatever the table's size.
 */
export async function explainAsServed(
  appSql: postgres.Sql,
  actor: { userId: string; organizationIds: readonly string[] },
  statement: string,
  parameters: readonly unknown[],
  { indexesOnly = false }: { indexesOnly?: boolean } = {},
): Promise<PlanNode> {
  const plan = await appSql
    .begin(async (tx) => {
      await tx`select set_config('app.user_id', ${actor.userId}, true), set_config('app.organization_ids', ${`{${actor.organizationIds.join(',')}}`}, true)`;
      const [mode] = await tx<{ plan_cache_mode: string }[]>`show plan_cache_mode`;
      if (mode?.plan_cache_mode !== 'force_custom_plan') throw new Error(`the app role plans with ${mode?.plan_cache_mode}, not force_custom_plan`);
      if (indexesOnly) await tx`set local enable_seqscan = off`;
      const [row] = await tx.unsafe(`explain (format json) ${statement}`, parameters as postgres.ParameterOrJSON<never>[]);
      // Nothing to keep: the rollback also drops anything the statement's functions might have touched.
      throw new PlanResult((row as Record<string, [{ Plan: PlanNode }]>)['QUERY PLAN']![0]!.Plan);
    })
    .catch((error: unknown) => {
      if (error instanceof PlanResult) return error.plan;
      throw error;
    });
  return plan;
}

class PlanResult extends Error {
  constructor(readonly plan: PlanNode) {
    super('plan');
  }
}

/** Every node of the plan tree, depth first. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)];
}

const FULL_SCANS = new Set(['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

/** Columns an index condition constrains: the identifiers compared in it. */
const constrainedColumns = (condition: string) =>
  new Set([...condition.matchAll(/\((\w+) (?:=|<>|<=|>=|<|>|~~|IS) /g)].map((match) => match[1]!));

/**
 * Scans that read a tenant table whole or a whole tenant of it: Seq Scans,
 * index scans without an index condition, and (with `tenantWide`) index scans
 * whose condition is only the organization (what row-level security alone
 * makes indexable), unless a Limit above stops them early (an ordered walk).
 */
export function fullScansOfTenantTables(
  plan: PlanNode,
  tenant: ReadonlyMap<string, number> | ReadonlySet<string>,
  { tenantWide = false }: { tenantWide?: boolean } = {},
): PlanNode[] {
  const found: PlanNode[] = [];
  const visit = (node: PlanNode, underLimit: boolean) => {
    const type = node['Node Type'];
    if (FULL_SCANS.has(type) && tenant.has(node['Relation Name'] ?? '')) {
      const condition = node['Index Cond'] ?? node['Recheck Cond'];
      if (type === 'Seq Scan' || typeof condition !== 'string') found.push(node);
      else if (tenantWide && !underLimit && [...constrainedColumns(condition)].every((column) => column === 'organization_id')) found.push(node);
    }
    for (const child of node.Plans ?? []) visit(child, underLimit || type === 'Limit');
  };
  visit(plan, false);
  return found;
}

/** Indented one-line-per-node text of a plan, for failure messages and reports. */
export function formatPlan(plan: PlanNode, depth = 0): string {
  const target = [
    plan['Relation Name'] ? ` on ${plan['Relation Name']}` : '',
    plan['Index Name'] ? ` using ${plan['Index Name']}` : '',
  ].join('');
  const detail = ['Index Cond', 'Recheck Cond', 'Hash Cond', 'Join Filter', 'Filter']
    .filter((key) => typeof plan[key] === 'string')
    .map((key) => `\n${'  '.repeat(depth + 2)}${key}: ${plan[key] as string}`)
    .join('');
  const line = `${'  '.repeat(depth)}-> ${plan['Node Type']}${target} (cost ${plan['Total Cost']}, rows ${plan['Plan Rows']})${detail}`;
  return [line, ...(plan.Plans ?? []).map((child) => formatPlan(child, depth + 1))].join('\n');
}
