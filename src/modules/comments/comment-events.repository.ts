import { and, asc, eq, gt, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { activityEvents } from '../../db/schema/index';
import type { RealtimeEvent } from '../../realtime/events';
import type { CommentFeed } from './comment-target';

/**
 * Numbered comment events of one thread after `afterSeq`, oldest first: a
 * comment subscription's replay. A project's thread is its project-level
 * comments only (task_id null), so task comments of the project never show.
 */
export async function findCommentEventsAfter(
  tx: Executor,
  organizationIds: readonly string[],
  thread: CommentFeed,
  verbs: readonly string[],
  afterSeq: number,
  limit: number,
): Promise<RealtimeEvent[]> {
  const rows = await tx
    .select({
      seq: activityEvents.seq,
      organizationId: activityEvents.organizationId,
      id: activityEvents.id,
      verb: activityEvents.verb,
      subjectType: activityEvents.subjectType,
      subjectId: activityEvents.subjectId,
      projectId: activityEvents.projectId,
      taskId: activityEvents.taskId,
    })
    .from(activityEvents)
    .where(
      and(
        inArray(activityEvents.organizationId, organizationIds as string[]),
        eq(activityEvents.organizationId, thread.organizationId),
        thread.taskId
          ? eq(activityEvents.taskId, thread.taskId)
          : and(eq(activityEvents.projectId, thread.projectId), isNull(activityEvents.taskId)),
        isNotNull(activityEvents.seq),
        gt(activityEvents.seq, afterSeq),
        eq(activityEvents.subjectType, 'comment'),
        inArray(activityEvents.verb, verbs as string[]),
      ),
    )
    .orderBy(asc(activityEvents.seq))
    .limit(limit);
  return rows.map((row) => ({ ...row, stream: 'activity' as const, seq: row.seq!, recipientId: null }));
}
