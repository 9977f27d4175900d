import type { Executor } from '../../db/client';
import { notifications } from '../../db/schema/index';
import { liveMemberIdsAmong } from './live-members';

export type NotificationKind = (typeof notifications.$inferSelect)['kind'];

export type NotifyInput = {
  organizationId: string;
  recipientIds: readonly string[];
  kind: NotificationKind;
  /** Who caused it; never notified about their own action. Null for the system (due dates). */
  actorId: string | null;
  taskId?: string | null;
  commentId?: string | null;
  activityId?: string | null;
  /** Makes the notification idempotent per recipient: a second one with the same key is skipped. */
  dedupeKey?: string | null;
};

/**
 * Notifies members in the caller's transaction (it commits or rolls back with
 * the change it is about); the sequencer numbers and publishes the rows after
 * commit. Returns how many notifications were created.
 *
 * No RETURNING: row-level security lets only the recipient read a notification,
 * and RETURNING needs read access to the rows written for other people.
 */
export async function notifyUsers(tx: Executor, input: NotifyInput): Promise<number> {
  const candidates = [...new Set(input.recipientIds)].filter((id) => id !== input.actorId);
  const recipients = await liveMemberIdsAmong(tx, input.organizationId, candidates);
  if (recipients.length === 0) return 0;
  const result = await tx
    .insert(notifications)
    .values(
      recipients.map((recipientId) => ({
        organizationId: input.organizationId,
        recipientId,
        kind: input.kind,
        actorId: input.actorId,
        taskId: input.taskId ?? null,
        commentId: input.commentId ?? null,
        activityId: input.activityId ?? null,
        dedupeKey: input.dedupeKey ?? null,
      })),
    )
    // Only the dedupe key can conflict (ids are fresh): an already notified recipient is skipped.
    .onConflictDoNothing();
  return result.count;
}
