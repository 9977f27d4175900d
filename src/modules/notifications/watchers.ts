import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizationMembers, taskWatchers, users } from '../../db/schema/index';
import { liveMemberIdsAmong } from './live-members';
import { anyOf } from '../../db/any-of';

export type WatchReason = (typeof taskWatchers.$inferSelect)['reason'];

const watcherKey = [taskWatchers.organizationId, taskWatchers.taskId, taskWatchers.userId];

/**
 * Makes `userId` watch the task. Automatic reasons (creating, being assigned,
 * commenting, being mentioned) never override an explicit unwatch and leave an
 * existing watch as it is; 'manual' (the user asking) always watches again.
 * Users who are not live members of the organization are skipped. Returns
 * whether the user watches the task afterwards.
 */
export async function watchTask(
  tx: Executor,
  organizationId: string,
  taskId: string,
  userId: string,
  reason: WatchReason,
): Promise<boolean> {
  const [member] = await liveMemberIdsAmong(tx, organizationId, [userId]);
  if (!member) return false;
  // Who caused an automatic watch is not known here: only a manual one names its author.
  const createdBy = reason === 'manual' ? userId : null;
  const insert = tx.insert(taskWatchers).values({ organizationId, taskId, userId, reason, watching: true, createdBy });
  const [row] =
    reason === 'manual'
      ? await insert
          .onConflictDoUpdate({ target: watcherKey, set: { watching: true, reason: 'manual', updatedAt: sql`now()` } })
          .returning({ watching: taskWatchers.watching })
      : await insert.onConflictDoNothing().returning({ watching: taskWatchers.watching });
  if (row) return row.watching;
  // The automatic watch found an existing row: it stands, whether watching or an explicit unwatch.
  return (await watchedTaskIdsAmong(tx, [organizationId], userId, [taskId])).length > 0;
}

/** Records an explicit unwatch, which automatic watching then respects. */
export async function unwatchTask(tx: Executor, organizationId: string, taskId: string, userId: string): Promise<void> {
  await tx
    .insert(taskWatchers)
    .values({ organizationId, taskId, userId, reason: 'manual', watching: false, createdBy: userId })
    .onConflictDoUpdate({ target: watcherKey, set: { watching: false, reason: 'manual', updatedAt: sql`now()` } });
}

/** The task's watchers (watching, live members only): who to notify about it. */
export async function watcherIdsOf(tx: Executor, organizationId: string, taskId: string): Promise<string[]> {
  const rows = await watchersOfTasks(tx, [organizationId], [taskId]);
  return rows.map((row) => row.userId);
}

/** Watchers (watching, live members) of many tasks at once, oldest watch first: for the Task.watchers loader. */
export function watchersOfTasks(tx: Executor, organizationIds: readonly string[], taskIds: readonly string[]) {
  return tx
    .select({ taskId: taskWatchers.taskId, userId: taskWatchers.userId })
    .from(taskWatchers)
    .innerJoin(
      organizationMembers,
      and(
        eq(organizationMembers.organizationId, taskWatchers.organizationId),
        eq(organizationMembers.userId, taskWatchers.userId),
        isNull(organizationMembers.deletedAt),
      ),
    )
    .innerJoin(users, and(eq(users.id, taskWatchers.userId), isNull(users.deletedAt)))
    .where(
      and(
        anyOf(taskWatchers.organizationId, organizationIds as string[]),
        anyOf(taskWatchers.taskId, taskIds as string[]),
        eq(taskWatchers.watching, true),
      ),
    )
    .orderBy(taskWatchers.createdAt, taskWatchers.userId);
}

/** Of `taskIds`, the ones `userId` watches: for the Task.viewerIsWatching loader. */
export async function watchedTaskIdsAmong(
  tx: Executor,
  organizationIds: readonly string[],
  userId: string,
  taskIds: readonly string[],
): Promise<string[]> {
  const rows = await tx
    .select({ taskId: taskWatchers.taskId })
    .from(taskWatchers)
    .where(
      and(
        anyOf(taskWatchers.organizationId, organizationIds as string[]),
        eq(taskWatchers.userId, userId),
        anyOf(taskWatchers.taskId, taskIds as string[]),
        eq(taskWatchers.watching, true),
      ),
    );
  return rows.map((row) => row.taskId);
}
