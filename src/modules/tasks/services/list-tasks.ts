import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { ServiceContext } from '../../../graphql/context';
import { readPage, toConnection, type Connection, type PageArgs } from '../../../shared/pagination';
import { asViewer } from '../../../shared/unit-of-work';
import { countTasks, listTaskPages, type ListedTask, type TaskListParent, type TaskListScope } from '../task-list.repository';
import { checkFilterShape, type TaskFilter } from '../task.filter';
import { DEFAULT_TASK_SORT, readTaskCursor, TASK_CURSOR_LENGTH, taskCursorValues, type TaskSort } from '../task.sort';

export type TaskConnection = Connection<ListedTask> & {
  /** Counted only when asked for: a separate query, the page itself never pays for it. */
  totalCount: () => Promise<number>;
};

/** One page of a task list. `filter` is checked here too, so every caller gets the depth limit. */
export async function listTaskPage(
  ctx: ServiceContext,
  scope: TaskListScope,
  options: { filter?: TaskFilter | null; sort?: TaskSort | null; page: PageArgs },
): Promise<TaskConnection> {
  const filter = options.filter ?? null;
  if (filter) checkFilterShape(filter, ['filter']);
  const sort = options.sort ?? DEFAULT_TASK_SORT;
  const page = readPage(options.page, TASK_CURSOR_LENGTH);
  const after = readTaskCursor(sort, page.after);
  const [parent, parentId] = scope.projectId ? (['project', scope.projectId] as const) : (['milestone', scope.milestoneId!] as const);
  const shape: PageShape = {
    organizationId: scope.organizationId,
    parent,
    includeDeleted: scope.includeDeleted ?? false,
    filter,
    sort,
    page: { limit: page.limit, after },
  };
  const rows = await taskPageLoader(ctx).load({ shape, key: JSON.stringify(shape), parentId });
  let total: Promise<number> | undefined;
  return {
    ...toConnection(rows, page, (row) => taskCursorValues(sort, row)),
    totalCount: () => (total ??= asViewer(ctx, (tx) => countTasks(tx, scope, filter))),
  };
}

/** Everything that makes two lists the same query, apart from which parent they belong to. */
type PageShape = {
  organizationId: string;
  parent: TaskListParent;
  includeDeleted: boolean;
  filter: TaskFilter | null;
  sort: TaskSort;
  page: Parameters<typeof listTaskPages>[4];
};
type PageRequest = { shape: PageShape; key: string; parentId: string };

/**
 * Per request: pages requested in the same tick with the same shape (say, the
 * first 50 tasks of every project on a screen) are read in one statement.
 */
const taskPageLoader = createContextCache(
  (ctx: ServiceContext) =>
    new DataLoader<PageRequest, ListedTask[], string>(
      async (requests) => {
        const byShape = new Map<string, PageRequest[]>();
        for (const request of requests) byShape.set(request.key, [...(byShape.get(request.key) ?? []), request]);
        const pages = new Map<string, ListedTask[]>();
        await asViewer(ctx, async (tx) => {
          for (const [key, group] of byShape) {
            const { shape } = group[0]!;
            const parentIds = [...new Set(group.map((r) => r.parentId))];
            const result = await listTaskPages(tx, { ...shape, parentIds }, shape.filter, shape.sort, shape.page);
            for (const [parentId, rows] of result) pages.set(`${key}\u0000${parentId}`, rows);
          }
        });
        return requests.map((r) => pages.get(`${r.key}\u0000${r.parentId}`) ?? []);
      },
      { cacheKeyFn: (request) => `${request.key}\u0000${request.parentId}` },
    ),
);
