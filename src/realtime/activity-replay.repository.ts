import { and, asc, eq, gt, inArray, isNotNull, isNull, like, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { activityEvents } from '../db/schema/index';
import type { RealtimeEvent } from './events';

/** Which activity a subscription replays: one organization, optionally narrowed to a project, a task, kinds of event. */
export type ActivityReplayScope = {
  organizationId: string;
  projectId?: string | null;
  taskId?: string | null;
  /** Only the project's own events, not its tasks' (a project-level comment thread). */
  projectLevelOnly?: boolean;
  subjectType?: string;
  verbs?: readonly string[];
  verbPrefix?: string;
};

/** Numbered activity after `afterSeq`, oldest first: what a subscription replays before going live. */
export async function findActivityEventsAfter(
  tx: Executor,
  organizationIds: readonly string[],
  scope: ActivityReplayScope,
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
    scope.projectLevelOnly ? isNull(activityEvents.taskId) : undefined,
    scope.subjectType ? eq(activityEvents.subjectType, scope.subjectType) : undefined,
    scope.verbs ? inArray(activityEvents.verb, scope.verbs as string[]) : undefined,
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
  return rows.map((row) => ({ ...row, stream: 'activity' as const, seq: row.seq!, recipientId: null }));
}
