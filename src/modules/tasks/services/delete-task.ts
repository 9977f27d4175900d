import type { ServiceContext } from '../../../graphql/context';
import { ConflictError, ForbiddenError } from '../../../shared/errors';
import { asViewer, requireViewer } from '../../../shared/unit-of-work';
import { recordActivity } from '../../../realtime/record-activity';
import { taskActivity } from '../../activity/task-events';
import { taskPolicy } from '../task.policy';
import { findLiveTasksByIds, findSubtreeIds, updateTasks, type TaskRow } from '../task.repository';
import { findVisibleProject, lockTaskWithTree } from './task-access';

const FORBIDDEN = 'Only its creator or an admin can delete or restore a task, and only in active projects';

/**
 * Soft-deletes a task and its live subtasks, all with the same timestamp: that
 * is how a restore later tells what was deleted with it.
 */
export function deleteTask(ctx: ServiceContext, id: string): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const task = await lockTaskWithTree(tx, organizationIds, id);
    const project = await findVisibleProject(tx, organizationIds, task.projectId);
    if (!taskPolicy.canDelete(viewer, task, project)) throw new ForbiddenError(FORBIDDEN);
    const subtree = await findSubtreeIds(tx, task.organizationId, id, 'live');
    const updated = await updateTasks(tx, task.organizationId, subtree, { deletedAt: new Date() });
    // One event per task deleted with it: each task's own feed (and live views) learn it is gone.
    await recordActivity(tx, ...updated.map((row) => taskActivity(row, 'task.deleted', viewer.userId)));
    return updated.find((row) => row.id === id)!;
  });
}

/**
 * Restores a task and the subtasks deleted together with it; subtasks deleted
 * on their own before stay deleted. Its parent must be live.
 */
export function restoreTask(ctx: ServiceContext, id: string): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const task = await lockTaskWithTree(tx, organizationIds, id, { includeDeleted: true });
    const project = await findVisibleProject(tx, organizationIds, task.projectId);
    if (!taskPolicy.canDelete(viewer, task, project)) throw new ForbiddenError(FORBIDDEN);
    if (!task.deletedAt) return task;
    if (task.parentId && (await findLiveTasksByIds(tx, organizationIds, [task.parentId])).length === 0) {
      throw new ConflictError('Its parent task is deleted: restore the parent first');
    }
    const subtree = await findSubtreeIds(tx, task.organizationId, id, { deletedAt: task.deletedAt });
    const updated = await updateTasks(tx, task.organizationId, subtree, { deletedAt: null });
    await recordActivity(tx, ...updated.map((row) => taskActivity(row, 'task.restored', viewer.userId)));
    return updated.find((row) => row.id === id)!;
  });
}
