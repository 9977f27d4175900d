import { builder } from '../../graphql/builder';
import { idFrom, optionalIdFrom } from '../../graphql/ids';
import { decodeCursor, encodeCursor } from '../../realtime/cursor';
import { ActivityEvent } from '../activity/activity.graphql';
import { Organization } from '../organizations/organization.types';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.type';
import { openActivityStream, openTaskChanges, type TaskChange } from './live.service';

const TaskChangeRef = builder.objectRef<TaskChange>('TaskChange').implement({
  description: 'A task of the subscribed project changed (or was created, moved, deleted …).',
  fields: (t) => ({
    verb: t.exposeString('verb', { nullable: false, description: 'The activity verb: task.created, task.updated, task.status_changed, task.moved, task.deleted …' }),
    task: t.field({ type: Task, nullable: false, description: 'The task as it is now (deletedAt set when it was deleted).', resolve: (change) => change.task }),
    cursor: t.string({ nullable: false, description: 'Resume after this change with `after`.', resolve: (change) => encodeCursor(change.seq) }),
  }),
});

const AFTER = 'A cursor of an event already seen: events after it are replayed first, then live ones follow.';

builder.subscriptionField('taskChanged', (t) =>
  t.field({
    type: TaskChangeRef,
    description: "Live board updates: every change to the project's tasks.",
    authScopes: { authenticated: true },
    args: {
      projectId: t.arg.globalID({ required: true, for: Project }),
      after: t.arg.string({ description: AFTER }),
    },
    subscribe: (_root, args, ctx) => openTaskChanges(ctx, idFrom(args.projectId, 'projectId'), decodeCursor(args.after, 'after')),
    resolve: (change) => change,
  }),
);

builder.subscriptionField('activityAdded', (t) =>
  t.field({
    type: ActivityEvent,
    description: "New activity of an organization, or of one of its projects when projectId is given.",
    authScopes: { authenticated: true },
    args: {
      organizationId: t.arg.globalID({ required: true, for: Organization }),
      projectId: t.arg.globalID({ for: Project }),
      after: t.arg.string({ description: AFTER }),
    },
    subscribe: (_root, args, ctx) =>
      openActivityStream(
        ctx,
        idFrom(args.organizationId, 'organizationId'),
        optionalIdFrom(args.projectId, 'projectId') ?? null,
        decodeCursor(args.after, 'after'),
      ),
    resolve: (event) => event,
  }),
);
