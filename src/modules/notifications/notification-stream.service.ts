import type { RealtimeEvent } from '../../realtime/events';
import { streamEvents, type StreamContext } from '../../realtime/stream';
import { topics } from '../../realtime/topics';
import { loadForEvent, visibleTo } from '../../realtime/event-loads';
import type { Viewer } from '../../auth/viewer';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { findNotificationsByIds, notificationsAfterSeq, type NotificationRow } from './notification.repository';

/** A notification row as the sequencer publishes it: ids and routing only. */
const asEvent = (row: NotificationRow & { seq: number }): RealtimeEvent => ({
  stream: 'notification',
  seq: row.seq,
  organizationId: row.organizationId,
  id: row.id,
  verb: row.kind,
  subjectType: 'notification',
  subjectId: row.id,
  projectId: null,
  taskId: row.taskId,
  recipientId: row.recipientId,
});

/** The inbox filter of findNotificationsByIds, for a row loaded once and shared: only the recipient sees it. */
const ownNotification = (viewer: Viewer, row: NotificationRow) => row.recipientId === viewer.userId;

/**
 * The viewer's new notifications, in every organization they belong to:
 * replayed after the cursor, then live. Each is shown only to its recipient
 * while they are (as last checked) in its organization, so one from an
 * organization they have left is skipped.
 */
export function openNotificationStream(ctx: StreamContext, after: number | null): AsyncIterable<NotificationRow> {
  const viewer = requireViewer(ctx);
  // Replayed rows are delivered right away: no need to load them a second time.
  const replayed = new Map<string, NotificationRow>();
  return streamEvents<NotificationRow>(ctx, {
    topic: topics.userNotifications(viewer.userId),
    after,
    replay: async (afterSeq, limit) => {
      const rows = await asViewer(ctx, (tx, organizationIds) => notificationsAfterSeq(tx, organizationIds, viewer.userId, afterSeq, limit));
      for (const row of rows) replayed.set(row.id, row);
      return rows.map((row) => asEvent(row as NotificationRow & { seq: number }));
    },
    async deliver(event) {
      if (event.stream !== 'notification' || event.recipientId !== viewer.userId) return null;
      const cached = replayed.get(event.id);
      if (cached) {
        replayed.delete(event.id);
        if (visibleTo(ctx.viewer, cached, ownNotification)) return cached;
      }
      // Shared by the recipient's subscriptions on this instance (several tabs): loaded as the recipient, as row-level security wants.
      const row = await loadForEvent(ctx.db, event, {
        purpose: 'notification',
        userId: viewer.userId,
        load: (tx, organizationIds) => findNotificationsByIds(tx, organizationIds, viewer.userId, [event.id]).then((rows) => rows[0] ?? null),
      });
      return visibleTo(ctx.viewer, row, ownNotification) ? row : null;
    },
  });
}
