import { and, asc, eq, gt, inArray, isNotNull, like, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { activityEvents } from '../../db/schema/index';
import type { RealtimeEvent } from '../../realtime/events';

export type LiveActivityScope = { organizationId: string; projectId?: string | null; taskId?: string | null; verbPrefix?: string };

/** Numbered activity of one feed after `afterSeq`, oldest first: a subscription's replay. */
export async function findActivityEventsAfter(
  tx: Executor,
  organizationIds: readonly string[],
  scope: LiveActivityScope,
  afterSeq: number,
  limit: number,
): Promise<RealtimeEvent[]> {
  const conditions: (SQL | undefined)[] = [
    inArray(activityEvents.organizationId, organizationIds as string[]),
    eq(activityEvents.organizationId, scope.organizationId),
    isNotNull(activityEvents.seq),
    gt(activityEvents.seq, afterSeq),
    scope.projectId ? eq(activityEvents.projectId, scope.projectId) : undefined,
    scope.taskId ? eq(activityEvents.taskId, scope.taskId) : undefined,
    scope.verbPrefix ? like(activityEvents.verb, `${scope.verbPrefix}%`) : undefined,
  ];
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
    .where(and(...conditions))
    .orderBy(asc(activityEvents.seq))
    .limit(limit);
  return rows.map((row) => ({ ...row, stream: 'activity', seq: row.seq!, recipientId: null }));
}
