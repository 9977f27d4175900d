import { and, count, eq, getTableColumns, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { milestones, projects, tasks } from '../../db/schema/index';
import { taskFilterCondition, type TaskFilter } from './task.filter';
import type { TaskRow } from './task.repository';
import { afterCursor, sortKeyColumn, sortOrder, type TaskCursor, type TaskSort } from './task.sort';
import { readPagesPerParent } from '../../db/pages-per-parent';

/** Which tasks a list draws from, before the client's filter: one organization, and a project or a milestone. */
export type TaskListScope = {
  organizationId: string;
  projectId?: string;
  milestoneId?: string;
  includeDeleted?: boolean;
};

export type ListedTask = TaskRow & { sortKey: string | null };

function scopeConditions(tx: Executor, scope: TaskListScope, filter: TaskFilter | null): SQL | undefined {
  return and(
    eq(tasks.organizationId, scope.organizationId),
    scope.projectId ? eq(tasks.projectId, scope.projectId) : undefined,
    scope.milestoneId ? eq(tasks.milestoneId, scope.milestoneId) : undefined,
    scope.includeDeleted ? undefined : isNull(tasks.deletedAt),
    filter ? taskFilterCondition(tx, filter) : undefined,
  );
}

/** Lists scoped by a parent row: the parent table and the task column that points at it. */
const PARENTS = {
  project: { table: projects, id: projects.id, organizationId: projects.organizationId, taskColumn: tasks.projectId },
  milestone: { table: milestones, id: milestones.id, organizationId: milestones.organizationId, taskColumn: tasks.milestoneId },
} as const;

export type TaskListParent = keyof typeof PARENTS;

/**
 * The same keyset page (`limit + 1` rows: the extra one says there is more)
 * for several parents in one statement: each parent joins laterally to its own
 * ordered, limited page, so every page still walks its index and stops early.
 * This keeps a screen listing many projects' tasks at a constant number of
 * statements. Parents of another organization get an empty page.
 */
export async function listTaskPages(
  tx: Executor,
  scope: { organizationId: string; parent: TaskListParent; parentIds: readonly string[]; includeDeleted: boolean },
  filter: TaskFilter | null,
  sort: TaskSort,
  page: { limit: number; after: TaskCursor | null },
): Promise<Map<string, ListedTask[]>> {
  const parent = PARENTS[scope.parent];
  const selection = { ...getTableColumns(tasks), sortKey: sortKeyColumn(sort).as('sort_key') };
  const pageOfParent = tx
    .select(selection)
    .from(tasks)
    .where(
      and(
        scopeConditions(tx, { organizationId: scope.organizationId, includeDeleted: scope.includeDeleted }, filter),
        eq(parent.taskColumn, parent.id),
        page.after ? afterCursor(sort, page.after) : undefined,
      ),
    )
    .orderBy(...sortOrder(sort))
    .limit(page.limit + 1)
    .as('page');
  return readPagesPerParent<typeof selection, ListedTask>(tx, {
    parent,
    organizationId: scope.organizationId,
    parentIds: scope.parentIds,
    page: pageOfParent,
    selection,
    // On the page's typed columns, not sort_key's text.
    orderBy: (pageColumns) => sortOrder(sort, pageColumns),
  });
}

export async function countTasks(tx: Executor, scope: TaskListScope, filter: TaskFilter | null): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(tasks).where(scopeConditions(tx, scope, filter));
  return row?.n ?? 0;
}
