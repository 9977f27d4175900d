import { and, desc, eq, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { activityEvents } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type ActivityRow = typeof activityEvents.$inferSelect;

/** Which feed: the whole organization, or one project, one task, or one person's actions in it. */
export type ActivityScope = { projectId?: string; taskId?: string; actorId?: string };

export type SeqPage = { limit: number; afterSeq: number | null };

/** Events by id; only numbered ones (unnumbered events are not visible yet, to anyone). */
export function findActivityByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<ActivityRow[]> {
  return tx
    .select()
    .from(activityEvents)
    .where(
      and(
        anyOf(activityEvents.organizationId, organizationIds as string[]),
        anyOf(activityEvents.id, ids as string[]),
        isNotNull(activityEvents.seq),
      ),
    );
}

/**
 * A feed page, newest first: keyset on seq (descending), so concurrent writes
 * never shift a page. Each scope has its (organization_id, …, seq) index.
 */
export function listActivity(tx: Executor, organizationIds: readonly string[], scope: ActivityScope, page: SeqPage): Promise<ActivityRow[]> {
  const conditions: (SQL | undefined)[] = [
    anyOf(activityEvents.organizationId, organizationIds as string[]),
    isNotNull(activityEvents.seq),
    scope.projectId ? eq(activityEvents.projectId, scope.projectId) : undefined,
    scope.taskId ? eq(activityEvents.taskId, scope.taskId) : undefined,
    scope.actorId ? eq(activityEvents.actorId, scope.actorId) : undefined,
    page.afterSeq !== null ? lt(activityEvents.seq, page.afterSeq) : undefined,
  ];
  return tx
    .select()
    .from(activityEvents)
    .where(and(...conditions))
    .orderBy(desc(activityEvents.seq))
    .limit(page.limit + 1);
}
