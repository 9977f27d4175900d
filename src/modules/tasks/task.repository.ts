import { and, asc, count, desc, eq, gt, isNull, lt, ne, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizationMembers, tasks } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type TaskRow = typeof tasks.$inferSelect;
export type NewTask = typeof tasks.$inferInsert;
export type TaskStatus = TaskRow['status'];
export type TaskPriority = TaskRow['priority'];

const inOrganizations = (organizationIds: readonly string[]) => anyOf(tasks.organizationId, organizationIds as string[]);

/** Tasks by id in any state (deleted ones too): what `node(id)` shows. */
export function findTasksByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<TaskRow[]> {
  return tx
    .select()
    .from(tasks)
    .where(and(inOrganizations(organizationIds), anyOf(tasks.id, ids as string[])));
}

/** Tasks by id that are not deleted: what other modules may attach things to. */
export function findLiveTasksByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<TaskRow[]> {
  return tx
    .select()
    .from(tasks)
    .where(and(inOrganizations(organizationIds), anyOf(tasks.id, ids as string[]), isNull(tasks.deletedAt)));
}

/** Locks tasks for the rest of the transaction, in id order so concurrent lockers cannot deadlock. */
export function lockTasksByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<TaskRow[]> {
  return tx
    .select()
    .from(tasks)
    .where(and(inOrganizations(organizationIds), anyOf(tasks.id, ids as string[])))
    .orderBy(asc(tasks.id))
    .for('update');
}

export async function insertTask(tx: Executor, values: NewTask & { id: string; organizationId: string }): Promise<TaskRow | null> {
  const [row] = await tx.insert(tasks).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

/** Writes `values` to the given tasks, bumping their version (every change is a new version). */
export function updateTasks(tx: Executor, organizationId: string, ids: readonly string[], values: Partial<NewTask>): Promise<TaskRow[]> {
  return tx
    .update(tasks)
    .set({ ...values, version: sql`${tasks.version} + 1` })
    .where(and(eq(tasks.organizationId, organizationId), anyOf(tasks.id, ids as string[])))
    .returning();
}

export async function updateTask(tx: Executor, organizationId: string, id: string, values: Partial<NewTask>): Promise<TaskRow> {
  const [row] = await updateTasks(tx, organizationId, [id], values);
  if (!row) throw new Error(`task ${id} vanished inside its transaction`);
  return row;
}

/** Live subtasks of all the given parents, each group ordered by rank. */
export function findSubtasksOfParents(tx: Executor, organizationIds: readonly string[], parentIds: readonly string[]): Promise<TaskRow[]> {
  return tx
    .select()
    .from(tasks)
    .where(and(inOrganizations(organizationIds), anyOf(tasks.parentId, parentIds as string[]), isNull(tasks.deletedAt)))
    .orderBy(asc(tasks.parentId), asc(tasks.rank), asc(tasks.id));
}

/**
 * Live subtask counts, one correlated count per requested parent id: each
 * probe is an equality on tasks_parent_idx's columns. (A grouped count over
 * `parent_id in (...)` let the planner, which underestimates a tenant's rows
 * once row-level security adds its own organization filter, walk the whole
 * tenant through another index instead.)
 */
export async function countSubtasksOfParents(
  tx: Executor,
  organizationIds: readonly string[],
  parentIds: readonly string[],
): Promise<{ parentId: string; n: number }[]> {
  const rows = await tx.execute<{ parent_id: string; n: number }>(sql`
    select parent.id as parent_id,
           (select count(*)::int from ${tasks} child
             where child.organization_id = any(${toUuidArray(organizationIds)})
               and child.parent_id = parent.id
               and child.deleted_at is null) as n
    from unnest(${toUuidArray(parentIds)}) as parent(id)`);
  return rows.map((row) => ({ parentId: row.parent_id, n: row.n }));
}

const toUuidArray = (ids: readonly string[]) => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** One list of siblings: tasks of a project under the same parent (null: top level). */
export type SiblingList = { organizationId: string; projectId: string; parentId: string | null };

function inSiblingList(list: SiblingList, excludeId?: string): SQL {
  return and(
    eq(tasks.organizationId, list.organizationId),
    eq(tasks.projectId, list.projectId),
    list.parentId ? eq(tasks.parentId, list.parentId) : isNull(tasks.parentId),
    isNull(tasks.deletedAt),
    excludeId ? ne(tasks.id, excludeId) : undefined,
  )!;
}

/** The rank right after (`next`) or right before (`previous`) `rank` in a sibling list, ignoring `excludeId`. */
export async function neighbourRank(
  tx: Executor,
  list: SiblingList,
  rank: string | null,
  direction: 'next' | 'previous',
  excludeId?: string,
): Promise<string | null> {
  const bound = rank === null ? undefined : direction === 'next' ? gt(tasks.rank, rank) : lt(tasks.rank, rank);
  const [row] = await tx
    .select({ rank: tasks.rank })
    .from(tasks)
    .where(and(inSiblingList(list, excludeId), bound))
    .orderBy(direction === 'next' ? asc(tasks.rank) : desc(tasks.rank))
    .limit(1);
  return row?.rank ?? null;
}

/**
 * Ids of `rootId` and its descendants. `via` picks which children to follow:
 * live ones, all, or those deleted at the same instant as the root (deleted with it).
 */
export async function findSubtreeIds(
  tx: Executor,
  organizationId: string,
  rootId: string,
  via: 'live' | 'all' | { deletedAt: Date },
): Promise<string[]> {
  const childFilter =
    via === 'live' ? sql`c.deleted_at is null` : via === 'all' ? sql`true` : sql`c.deleted_at = ${via.deletedAt.toISOString()}::timestamptz`;
  const rows = await tx.execute<{ id: string }>(sql`
    with recursive subtree(id) as (
      select ${rootId}::uuid
      union
      select c.id from tasks c join subtree s on c.parent_id = s.id
      where c.organization_id = ${organizationId} and ${childFilter}
    )
    select id from subtree`);
  return rows.map((row) => row.id);
}

/** Whether `candidateId` is `rootId` or one of its descendants (deleted ones included: they may come back). */
export async function isInSubtree(tx: Executor, organizationId: string, rootId: string, candidateId: string): Promise<boolean> {
  const rows = await tx.execute<{ found: boolean }>(sql`
    with recursive ancestors(id, parent_id) as (
      select id, parent_id from tasks where organization_id = ${organizationId} and id = ${candidateId}
      union
      select p.id, p.parent_id from tasks p join ancestors a on p.id = a.parent_id
      where p.organization_id = ${organizationId}
    )
    select exists(select 1 from ancestors where id = ${rootId}) as found`);
  return rows[0]?.found === true;
}

/** Whether the user is a current (not removed) member: the foreign key alone also accepts removed members. */
export async function isActiveMember(tx: Executor, organizationId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .where(
      and(
        eq(organizationMembers.organizationId, organizationId),
        eq(organizationMembers.userId, userId),
        isNull(organizationMembers.deletedAt),
      ),
    );
  return row !== undefined;
}

/**
 * Serialises writers of one thing for the rest of the transaction. `shared`
 * holders run together; an exclusive holder waits for all of them.
 */
export async function lockKey(tx: Executor, key: string, mode: 'shared' | 'exclusive' = 'exclusive'): Promise<void> {
  await tx.execute(
    mode === 'shared'
      ? sql`select pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`
      : sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`,
  );
}
