import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom, optionalIdFrom } from '../../graphql/ids';
import { decodeCursor, encodeCursor } from '../../realtime/cursor';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { Comment } from '../comments/comment.graphql';
import { Organization } from '../organizations/organization.types';
import { Task } from '../tasks/task.type';
import { User } from '../users/user.graphql';
import { findNotificationsByIds, type NotificationRow } from './notification.repository';
import { openNotificationStream } from './notification-stream.service';
import { changeNotification, markAllNotificationsRead, type NotificationChange } from './notification.service';

export const NotificationKindEnum = builder.enumType('NotificationKind', {
  values: {
    ASSIGNED: { value: 'assigned', description: 'Someone assigned the task to you.' },
    MENTIONED: { value: 'mentioned', description: 'Someone mentioned you in a comment.' },
    COMMENTED: { value: 'commented', description: 'Someone commented on a task you watch.' },
    DUE_SOON: { value: 'due_soon', description: 'The due date of a task you are assigned to or watch is near.' },
    UNBLOCKED: { value: 'unblocked', description: 'A task blocking yours is done.' },
  } as const,
});

/** Only the recipient can load a notification: for anyone else it does not exist. */
export const Notification = builder.loadableNode('Notification', {
  description: 'Something in your inbox. Only you can see, mark or archive your notifications.',
  id: { resolve: (notification: NotificationRow) => notification.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'recipientId' in value && 'dedupeKey' in value,
  load: (ids: string[], ctx) => {
    const viewer = ctx.viewer;
    if (!viewer) return Promise.resolve(ids.map(() => null));
    return asViewer(ctx, async (tx, organizationIds) =>
      inKeyOrder(ids, await findNotificationsByIds(tx, organizationIds, viewer.userId, ids), (n) => n.id),
    );
  },
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKindEnum }),
    actor: t.field({ type: User, nullable: true, description: 'Who caused it; null for the system (due dates).', resolve: (n) => n.actorId }),
    task: t.field({ type: Task, nullable: true, resolve: (n) => n.taskId }),
    comment: t.field({ type: Comment, nullable: true, resolve: (n) => n.commentId }),
    organization: t.field({ type: Organization, resolve: (n) => n.organizationId }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
    archivedAt: t.expose('archivedAt', { type: 'DateTime', nullable: true }),
    isRead: t.boolean({ resolve: (n) => n.readAt !== null }),
    isArchived: t.boolean({ resolve: (n) => n.archivedAt !== null }),
    cursor: t.string({
      nullable: true,
      description: 'Resume notificationAdded after this notification; null for a moment after it is created.',
      resolve: (n) => (n.seq === null ? null : encodeCursor(n.seq)),
    }),
  }),
});

export const NotificationConnection = builder.connectionObject(
  { type: Notification, name: 'NotificationConnection' },
  { name: 'NotificationEdge' },
);

builder.mutationFields((t) => {
  const change = (kind: NotificationChange, description: string) =>
    t.field({
      type: Notification,
      description: `${description} NotFound for anyone else's notification.`,
      errors: { types: MUTATION_ERRORS, dataField: { name: 'notification' } },
      args: { id: t.arg.globalID({ required: true, for: Notification }) },
      resolve: (_root, { id }, ctx) => changeNotification(ctx, idFrom(id, 'id'), kind),
    });
  return {
    markNotificationRead: change('read', 'Marks one of your notifications read (keeps the first readAt).'),
    markNotificationUnread: change('unread', 'Marks one of your notifications unread again.'),
    archiveNotification: change('archive', 'Moves one of your notifications out of the inbox.'),
    unarchiveNotification: change('unarchive', 'Brings an archived notification back to the inbox.'),
    markAllNotificationsRead: t.field({
      type: 'Int',
      description: 'Marks all your unread notifications read (in one organization when given); returns how many.',
      errors: { types: MUTATION_ERRORS, dataField: { name: 'count' } },
      args: { organizationId: t.arg.globalID({ required: false, for: Organization }) },
      resolve: (_root, { organizationId }, ctx) =>
        markAllNotificationsRead(ctx, optionalIdFrom(organizationId, 'organizationId')),
    }),
  };
});

builder.subscriptionField('notificationAdded', (t) =>
  t.field({
    type: Notification,
    description: 'Your new notifications (all organizations). With `after`, the ones since that cursor come first.',
    authScopes: { authenticated: true },
    args: {
      after: t.arg.string({ description: 'The cursor of a notification already seen.' }),
    },
    subscribe: (_root, args, ctx) => openNotificationStream(ctx, decodeCursor(args.after, 'after')),
    resolve: (notification) => notification,
  }),
);
