import { builder } from '../../graphql/builder';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.graphql';
import { threadPage } from './comment-thread.service';
import { Comment } from './comment.type';

export const CommentOrderEnum = builder.enumType('CommentOrder', {
  values: { OLDEST_FIRST: { value: 'oldest_first' }, NEWEST_FIRST: { value: 'newest_first' } } as const,
});

builder.objectField(Task, 'comments', (t) =>
  t.connection({
    type: Comment,
    description: 'Comments on the task, deleted ones shown as deleted; oldest first unless `order` says otherwise.',
    args: { order: t.arg({ type: CommentOrderEnum, required: false, defaultValue: 'oldest_first' }) },
    resolve: (task, args, ctx) => threadPage(ctx, { organizationId: task.organizationId, parent: 'task', parentId: task.id }, args),
  }),
);

builder.objectField(Project, 'comments', (t) =>
  t.connection({
    type: Comment,
    description: 'Project-level comments only (not those on its tasks), deleted ones shown as deleted.',
    args: { order: t.arg({ type: CommentOrderEnum, required: false, defaultValue: 'oldest_first' }) },
    resolve: (project, args, ctx) => threadPage(ctx, { organizationId: project.organizationId, parent: 'project', parentId: project.id }, args),
  }),
);
