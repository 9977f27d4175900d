import { and, asc, count, desc, eq, gt, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { notifications } from '../../db/schema/index';
import type { TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';

export type NotificationRow = typeof notifications.$inferSelect;

/**
 * Every query here is the recipient's own inbox: scoped to the viewer's
 * organizations and to `recipientId` (row-level security says the same).
 */
const inbox = (organizationIds: readonly string[], recipientId: string): SQL =>
  and(anyOf(notifications.organizationId, organizationIds as string[]), eq(notifications.recipientId, recipientId))!;

export function findNotificationsByIds(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  ids: readonly string[],
): Promise<NotificationRow[]> {
  return tx
    .select()
    .from(notifications)
    .where(and(inbox(organizationIds, recipientId), anyOf(notifications.id, ids as string[])));
}

export type InboxFilter = { unreadOnly: boolean; includeArchived: boolean; organizationId?: string | null };

/** Newest first, keyset over (created_at desc, id desc): the notifications_inbox_idx order, read backwards. */
export function listInbox(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  filter: InboxFilter,
  page: TimeKeysetPage,
): Promise<NotificationRow[]> {
  const conditions: (SQL | undefined)[] = [inbox(organizationIds, recipientId)];
  if (filter.organizationId) conditions.push(eq(notifications.organizationId, filter.organizationId));
  if (!filter.includeArchived) conditions.push(isNull(notifications.archivedAt));
  if (filter.unreadOnly) conditions.push(isNull(notifications.readAt));
  if (page.after) {
    conditions.push(sql`(${notifications.createdAt}, ${notifications.id}) < (${page.after[0].toISOString()}::timestamptz, ${page.after[1]}::uuid)`);
  }
  return tx
    .select()
    .from(notifications)
    .where(and(...conditions))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(page.limit + 1);
}

/** Unread, not archived: the predicate of the partial index notifications_unread_idx. */
export async function countUnread(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  organizationId?: string | null,
): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(notifications)
    .where(
      and(
        inbox(organizationIds, recipientId),
        organizationId ? eq(notifications.organizationId, organizationId) : undefined,
        isNull(notifications.readAt),
        isNull(notifications.archivedAt),
      ),
    );
  return row?.n ?? 0;
}

export async function updateNotification(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  id: string,
  values: Partial<Pick<NotificationRow, 'readAt' | 'archivedAt'>>,
): Promise<NotificationRow | null> {
  const [row] = await tx
    .update(notifications)
    .set(values)
    .where(and(inbox(organizationIds, recipientId), eq(notifications.id, id)))
    .returning();
  return row ?? null;
}

/** Marks every unread notification read (archived ones too); returns how many changed. */
export async function markAllRead(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  at: Date,
  organizationId?: string | null,
): Promise<number> {
  const result = await tx
    .update(notifications)
    .set({ readAt: at })
    .where(
      and(
        inbox(organizationIds, recipientId),
        organizationId ? eq(notifications.organizationId, organizationId) : undefined,
        isNull(notifications.readAt),
      ),
    );
  return result.count;
}

/** Sequenced notifications after `afterSeq`, oldest first: the subscription's replay (notifications_recipient_seq_idx). */
export function notificationsAfterSeq(
  tx: Executor,
  organizationIds: readonly string[],
  recipientId: string,
  afterSeq: number,
  limit: number,
): Promise<NotificationRow[]> {
  return tx
    .select()
    .from(notifications)
    .where(and(inbox(organizationIds, recipientId), isNotNull(notifications.seq), gt(notifications.seq, afterSeq)))
    .orderBy(asc(notifications.seq))
    .limit(limit);
}
