import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { taskDependencies, tasks } from '../../db/schema/index';
import { lockKey, type TaskRow } from '../tasks/task.repository';
import { anyOf } from '../../db/any-of';

export type DependencyRow = typeof taskDependencies.$inferSelect;
export type DependencyType = DependencyRow['type'];

/**
 * Serialises dependency edits within one organization until the transaction
 * ends: two concurrent inserts could each pass the cycle check and together
 * close a cycle.
 */
export function lockDependenciesOf(tx: Executor, organizationId: string): Promise<void> {
  return lockKey(tx, `${organizationId}:task_dependencies`);
}

export function findDependenciesByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(taskDependencies)
    .where(and(anyOf(taskDependencies.organizationId, organizationIds as string[]), anyOf(taskDependencies.id, ids as string[])));
}

/** An existing edge from → to of this type; `relates_to` is symmetric, so the reverse edge counts too. */
export async function findEdge(tx: Executor, organizationId: string, fromTaskId: string, toTaskId: string, type: DependencyType) {
  const forward = and(eq(taskDependencies.fromTaskId, fromTaskId), eq(taskDependencies.toTaskId, toTaskId));
  const backward = and(eq(taskDependencies.fromTaskId, toTaskId), eq(taskDependencies.toTaskId, fromTaskId));
  const [row] = await tx
    .select()
    .from(taskDependencies)
    .where(
      and(
        eq(taskDependencies.organizationId, organizationId),
        eq(taskDependencies.type, type),
        type === 'relates_to' ? or(forward, backward) : forward,
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Whether `toTaskId` is reachable from `fromTaskId` along `blocks` edges.
 * Deleted tasks' edges count: restoring a task must not bring back a cycle.
 * UNION (not UNION ALL) stops the walk at tasks already seen.
 */
export async function blocksPathExists(tx: Executor, organizationId: string, fromTaskId: string, toTaskId: string): Promise<boolean> {
  const [row] = await tx.execute<{ found: boolean }>(sql`
    with recursive reachable(task_id) as (
      select ${fromTaskId}::uuid
      union
      select d.to_task_id
      from task_dependencies d
      join reachable r on d.from_task_id = r.task_id
      where d.organization_id = ${organizationId} and d.type = 'blocks'
    )
    select exists (select 1 from reachable where task_id = ${toTaskId}::uuid) as found
  `);
  return row?.found ?? false;
}

export async function insertDependency(tx: Executor, values: typeof taskDependencies.$inferInsert & { organizationId: string }) {
  const [row] = await tx.insert(taskDependencies).values(values).returning();
  return row!;
}

export async function findDependencyForUpdate(tx: Executor, organizationIds: readonly string[], id: string) {
  const [row] = await tx
    .select()
    .from(taskDependencies)
    .where(and(anyOf(taskDependencies.organizationId, organizationIds as string[]), eq(taskDependencies.id, id)))
    .for('update');
  return row ?? null;
}

export async function deleteDependency(tx: Executor, organizationId: string, id: string): Promise<void> {
  await tx.delete(taskDependencies).where(and(eq(taskDependencies.organizationId, organizationId), eq(taskDependencies.id, id)));
}

/** Which end of an edge the requested tasks are on: `from`, `to`, or either. */
export type LinkDirection = 'outgoing' | 'incoming' | 'either';

export type Link = { taskId: string; dependency: DependencyRow; otherTask: TaskRow };

/**
 * Edges touching many tasks in one statement, with the live task at the other
 * end; `taskId` is the requested task each edge was found for (an edge between
 * two requested tasks comes back once for each). Oldest edge first.
 */
export function findLinks(
  tx: Executor,
  organizationIds: readonly string[],
  taskIds: readonly string[],
  options: { direction: LinkDirection; type?: DependencyType },
): Promise<Link[]> {
  const ids = taskIds as string[];
  const outgoing = and(anyOf(taskDependencies.fromTaskId, ids), eq(tasks.id, taskDependencies.toTaskId));
  const incoming = and(anyOf(taskDependencies.toTaskId, ids), eq(tasks.id, taskDependencies.fromTaskId));
  const link = { outgoing, incoming, either: or(outgoing, incoming) }[options.direction];
  return tx
    .select({
      taskId: sql<string>`case when ${tasks.id} = ${taskDependencies.toTaskId} then ${taskDependencies.fromTaskId} else ${taskDependencies.toTaskId} end`,
      dependency: taskDependencies,
      otherTask: tasks,
    })
    .from(taskDependencies)
    .innerJoin(tasks, and(eq(tasks.organizationId, taskDependencies.organizationId), link))
    .where(
      and(
        anyOf(taskDependencies.organizationId, organizationIds as string[]),
        options.type ? eq(taskDependencies.type, options.type) : undefined,
        isNull(tasks.deletedAt),
      ),
    )
    .orderBy(asc(taskDependencies.createdAt), asc(taskDependencies.id));
}
