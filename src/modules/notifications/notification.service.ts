import type { ServiceContext } from '../../graphql/context';
import { NotFoundError } from '../../shared/errors';
import { toConnection, type Connection, type PageArgs } from '../../shared/pagination';
import { readTimeKeysetPage, timeKeyOf } from '../../shared/time-keyset';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import {
  countUnread,
  findNotificationsByIds,
  listInbox,
  markAllRead,
  updateNotification,
  type InboxFilter,
  type NotificationRow,
} from './notification.repository';

/** An organization the viewer does not belong to is reported like a missing one. */
function requireOwnOrganization(ctx: ServiceContext, organizationId: string | null | undefined): void {
  if (organizationId && !requireViewer(ctx).roles.has(organizationId)) throw new NotFoundError('Organization', organizationId);
}

/** The viewer's inbox, newest first. */
export async function listNotifications(
  ctx: ServiceContext,
  filter: InboxFilter,
  args: PageArgs,
): Promise<Connection<NotificationRow>> {
  const viewer = requireViewer(ctx);
  requireOwnOrganization(ctx, filter.organizationId);
  const page = readTimeKeysetPage(args);
  const rows = await asViewer(ctx, (tx, organizationIds) => listInbox(tx, organizationIds, viewer.userId, filter, page));
  return toConnection(rows, page, (n) => timeKeyOf(n.createdAt, n.id));
}

export function unreadNotificationCount(ctx: ServiceContext, organizationId?: string | null): Promise<number> {
  const viewer = requireViewer(ctx);
  requireOwnOrganization(ctx, organizationId);
  return asViewer(ctx, (tx, organizationIds) => countUnread(tx, organizationIds, viewer.userId, organizationId));
}

export type NotificationChange = 'read' | 'unread' | 'archive' | 'unarchive';

/** Which timestamp each change sets (true) or clears (false). */
const CHANGES = {
  read: ['readAt', true],
  unread: ['readAt', false],
  archive: ['archivedAt', true],
  unarchive: ['archivedAt', false],
} as const satisfies Record<NotificationChange, readonly ['readAt' | 'archivedAt', boolean]>;

/**
 * Marks one of the viewer's notifications. Someone else's (or a missing one)
 * is NotFound. Repeating a change keeps the first timestamp.
 */
export function changeNotification(ctx: ServiceContext, id: string, change: NotificationChange): Promise<NotificationRow> {
  const viewer = requireViewer(ctx);
  const [field, set] = CHANGES[change];
  return asViewer(ctx, async (tx, organizationIds) => {
    const [current] = await findNotificationsByIds(tx, organizationIds, viewer.userId, [id]);
    if (!current) throw new NotFoundError('Notification', id);
    if ((current[field] !== null) === set) return current;
    return (await updateNotification(tx, organizationIds, viewer.userId, id, { [field]: set ? new Date() : null }))!;
  });
}

/** Marks the viewer's unread notifications read (in one organization, or all); returns how many. */
export function markAllNotificationsRead(ctx: ServiceContext, organizationId?: string | null): Promise<number> {
  const viewer = requireViewer(ctx);
  requireOwnOrganization(ctx, organizationId);
  return asViewer(ctx, (tx, organizationIds) => markAllRead(tx, organizationIds, viewer.userId, new Date(), organizationId));
}
