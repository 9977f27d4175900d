import type { ServiceContext } from '../../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../shared/errors';
import { asViewer, inKeyOrder, requireViewer } from '../../../shared/unit-of-work';
import { recordTaskUpdates } from '../../activity/task-events';
import { findProjectsByIds } from '../../projects/project.repository';
import { taskPolicy } from '../task.policy';
import { lockTasksByIds, updateTasks, type TaskRow, type TaskStatus } from '../task.repository';
import { BULK_UPDATE_MAX } from '../task.validation';
import { completedAtFor, requireAssignee, taskConstraints } from './task-access';

export type BulkTaskChanges = {
  status?: TaskStatus | null;
  /** null unassigns; undefined keeps. */
  assigneeId?: string | null;
};

/**
 * Applies the same change to up to BULK_UPDATE_MAX tasks, all or nothing: one
 * unknown, deleted or foreign id (or one task the viewer may not change) and
 * nothing is written. Returns the tasks in the order asked.
 */
export function bulkUpdateTasks(ctx: ServiceContext, ids: readonly string[], changes: BulkTaskChanges): Promise<TaskRow[]> {
  const viewer = requireViewer(ctx);
  const uniqueIds = [...new Set(ids)];
  if (uniqueIds.length === 0 || uniqueIds.length > BULK_UPDATE_MAX) {
    throw ValidationError.field('ids', `must name between 1 and ${BULK_UPDATE_MAX} tasks`);
  }
  const status = changes.status ?? undefined;
  if (status === undefined && changes.assigneeId === undefined) throw ValidationError.field('input', 'nothing to change');
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const locked = inKeyOrder(uniqueIds, await lockTasksByIds(tx, organizationIds, uniqueIds), (task) => task.id);
      const tasks = locked.map((task, i) => {
        if (!task || task.deletedAt) throw new NotFoundError('Task', uniqueIds[i]);
        return task;
      });
      const projects = await findProjectsByIds(tx, organizationIds, [...new Set(tasks.map((task) => task.projectId))]);
      const projectById = new Map(projects.map((project) => [project.id, project]));
      for (const task of tasks) {
        if (!taskPolicy.canUpdate(viewer, task, projectById.get(task.projectId)!)) {
          throw new ForbiddenError('Only members can change tasks, and only in active projects');
        }
      }
      const organizations = [...new Set(tasks.map((task) => task.organizationId))];
      if (changes.assigneeId) for (const organizationId of organizations) await requireAssignee(tx, organizationId, changes.assigneeId);

      const now = new Date();
      const updated = new Map<string, TaskRow>();
      for (const organizationId of organizations) {
        const inOrganization = tasks.filter((task) => task.organizationId === organizationId);
        const assignee = changes.assigneeId !== undefined ? { assigneeId: changes.assigneeId } : {};
        // Tasks changing status get a new completed_at; the rest keep theirs. Unchanged tasks keep their version.
        const changingStatus = inOrganization.filter((task) => status !== undefined && task.status !== status);
        const otherwiseChanging = inOrganization.filter(
          (task) => !changingStatus.includes(task) && changes.assigneeId !== undefined && task.assigneeId !== changes.assigneeId,
        );
        const record = (rows: TaskRow[]) => rows.forEach((row) => updated.set(row.id, row));
        if (changingStatus.length) {
          const statusChange = { ...assignee, status, completedAt: completedAtFor(status!, now) };
          record(await updateTasks(tx, organizationId, changingStatus.map((task) => task.id), statusChange));
        }
        if (otherwiseChanging.length) record(await updateTasks(tx, organizationId, otherwiseChanging.map((task) => task.id), assignee));
      }
      // One event per task that changed.
      await recordTaskUpdates(tx, viewer.userId, tasks.map((task) => ({ before: task, after: updated.get(task.id) ?? task })));
      return tasks.map((task) => updated.get(task.id) ?? task);
    },
    taskConstraints,
  );
}
