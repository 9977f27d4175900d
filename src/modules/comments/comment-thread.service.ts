import type { ServiceContext } from '../../graphql/context';
import { toConnection, type Connection, type PageArgs } from '../../shared/pagination';
import { pagesByShapeLoader } from '../../shared/page-loader';
import { readTimeKeysetPage, timeKeyOf, type TimeKeysetPage } from '../../shared/time-keyset';
import { listThreadPages, type CommentRow, type ThreadOrder, type ThreadParent } from './comment.repository';

/** Everything that makes two threads' pages the same query, apart from whose thread it is. */
type ThreadShape = { organizationId: string; parent: ThreadParent; order: ThreadOrder; page: TimeKeysetPage };

/** Per request: the threads of every task (or project) on a screen, one statement per distinct page arguments. */
const threadPageLoader = pagesByShapeLoader<ThreadShape, CommentRow>((tx, shape, parentIds) =>
  listThreadPages(tx, shape.organizationId, { parent: shape.parent, parentIds }, shape.order, shape.page),
);

/** One page of a task's or a project's thread: a keyset over (created_at, id), either way round. */
export async function threadPage(
  ctx: ServiceContext,
  thread: { organizationId: string; parent: ThreadParent; parentId: string },
  args: PageArgs & { order?: ThreadOrder | null },
): Promise<Connection<CommentRow>> {
  const page = readTimeKeysetPage(args);
  const shape: ThreadShape = { organizationId: thread.organizationId, parent: thread.parent, order: args.order ?? 'oldest_first', page };
  const rows = await threadPageLoader(ctx).load({ shape, parentId: thread.parentId });
  return toConnection(rows, page, (comment) => timeKeyOf(comment.createdAt, comment.id));
}
