import { builder } from '../../graphql/builder';
import type { ServiceContext } from '../../graphql/context';
import { toConnection, type PageArgs } from '../../shared/pagination';
import { readTimeKeysetPage, timeKeyOf } from '../../shared/time-keyset';
import { asViewer } from '../../shared/unit-of-work';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.graphql';
import { listThread, type CommentTarget, type ThreadOrder } from './comment.repository';
import { Comment } from './comment.type';

export const CommentOrderEnum = builder.enumType('CommentOrder', {
  values: { OLDEST_FIRST: { value: 'oldest_first' }, NEWEST_FIRST: { value: 'newest_first' } } as const,
});

/** One page of a thread: a keyset over (created_at, id), either way round; one statement per thread. */
async function threadPage(
  ctx: ServiceContext,
  organizationId: string,
  target: CommentTarget,
  args: PageArgs & { order?: ThreadOrder | null },
) {
  const page = readTimeKeysetPage(args);
  const rows = await asViewer(ctx, (tx) => listThread(tx, organizationId, target, args.order ?? 'oldest_first', page));
  return toConnection(rows, page, (comment) => timeKeyOf(comment.createdAt, comment.id));
}

builder.objectField(Task, 'comments', (t) =>
  t.connection({
    type: Comment,
    description: 'Comments on the task, deleted ones shown as deleted; oldest first unless `order` says otherwise.',
    args: { order: t.arg({ type: CommentOrderEnum, required: false, defaultValue: 'oldest_first' }) },
    resolve: (task, args, ctx) => threadPage(ctx, task.organizationId, { taskId: task.id }, args),
  }),
);

builder.objectField(Project, 'comments', (t) =>
  t.connection({
    type: Comment,
    description: 'Project-level comments only (not those on its tasks), deleted ones shown as deleted.',
    args: { order: t.arg({ type: CommentOrderEnum, required: false, defaultValue: 'oldest_first' }) },
    resolve: (project, args, ctx) => threadPage(ctx, project.organizationId, { projectId: project.id }, args),
  }),
);
