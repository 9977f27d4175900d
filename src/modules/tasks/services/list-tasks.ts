import type { ServiceContext } from '../../../graphql/context';
import { pagesByShapeLoader } from '../../../shared/page-loader';
import { readPage, toConnection, type Connection, type PageArgs } from '../../../shared/pagination';
import { asViewer } from '../../../shared/unit-of-work';
import { countTasks, listTaskPages, type ListedTask, type TaskListParent, type TaskListScope } from '../task-list.repository';
import { checkFilterShape, type TaskFilter } from '../task.filter';
import { DEFAULT_TASK_SORT, readTaskCursor, TASK_CURSOR_LENGTH, taskCursorValues, type TaskSort } from '../task.sort';

export type TaskConnection = Connection<ListedTask> & {
  /** Counted only when asked for: a separate query, the page itself never pays for it. */
  totalCount: () => Promise<number>;
};

/** Everything that makes two lists the same query, apart from which parent they belong to. */
type PageShape = {
  organizationId: string;
  parent: TaskListParent;
  includeDeleted: boolean;
  filter: TaskFilter | null;
  sort: TaskSort;
  page: Parameters<typeof listTaskPages>[4];
};

/** Per request: the task pages of every project (or milestone) on a screen, one statement per distinct page arguments. */
const taskPageLoader = pagesByShapeLoader<PageShape, ListedTask>((tx, { filter, sort, page, ...scope }, parentIds) =>
  listTaskPages(tx, { ...scope, parentIds }, filter, sort, page),
);

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
  const rows = await taskPageLoader(ctx).load({ shape, parentId });
  let total: Promise<number> | undefined;
  return {
    ...toConnection(rows, page, (row) => taskCursorValues(sort, row)),
    totalCount: () => (total ??= asViewer(ctx, (tx) => countTasks(tx, scope, filter))),
  };
}
