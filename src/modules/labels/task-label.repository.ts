import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { labels, taskLabels } from '../../db/schema/index';
import { labelOrder, type LabelRow } from './label.repository';
import { anyOf } from '../../db/any-of';

/** Live labels of many tasks in one statement, each tagged with its task, ordered by name. */
export function findLiveLabelsOfTasks(
  tx: Executor,
  organizationIds: readonly string[],
  taskIds: readonly string[],
): Promise<{ taskId: string; label: LabelRow }[]> {
  return tx
    .select({ taskId: taskLabels.taskId, label: labels })
    .from(taskLabels)
    .innerJoin(labels, and(eq(labels.organizationId, taskLabels.organizationId), eq(labels.id, taskLabels.labelId)))
    .where(
      and(
        anyOf(taskLabels.organizationId, organizationIds as string[]),
        anyOf(taskLabels.taskId, taskIds as string[]),
        isNull(labels.deletedAt),
      ),
    )
    .orderBy(...labelOrder);
}

/** Attaches labels; ones already attached are left as they are. */
export async function attachLabels(
  tx: Executor,
  organizationId: string,
  taskId: string,
  labelIds: readonly string[],
  createdBy: string,
): Promise<void> {
  if (labelIds.length === 0) return;
  await tx
    .insert(taskLabels)
    .values(labelIds.map((labelId) => ({ organizationId, taskId, labelId, createdBy })))
    .onConflictDoNothing();
}

export async function detachLabels(tx: Executor, organizationId: string, taskId: string, labelIds: readonly string[]): Promise<void> {
  if (labelIds.length === 0) return;
  await tx
    .delete(taskLabels)
    .where(
      and(
        eq(taskLabels.organizationId, organizationId),
        eq(taskLabels.taskId, taskId),
        anyOf(taskLabels.labelId, labelIds as string[]),
      ),
    );
}
