import type { ServiceContext } from '../../../graphql/context';
import { ConflictError, ForbiddenError } from '../../../shared/errors';
import { asViewer, requireViewer } from '../../../shared/unit-of-work';
import { recordTaskUpdates } from '../../activity/task-events';
import { taskPolicy } from '../task.policy';
import { updateTask, type NewTask, type TaskPriority, type TaskRow, type TaskStatus } from '../task.repository';
import { completedAtFor, findVisibleProject, lockTask, requireAssignee, requireMilestone, taskConstraints } from './task-access';

/** undefined keeps a value; null clears the nullable ones (and keeps the others). */
export type UpdateTaskInput = {
  title?: string | null;
  description?: string | null;
  status?: TaskStatus | null;
  priority?: TaskPriority | null;
  dueDate?: string | null;
  estimateMinutes?: number | null;
  assigneeId?: string | null;
  milestoneId?: string | null;
  /** Replaces the whole object. */
  metadata?: Record<string, unknown> | null;
};

const REQUIRED = ['title', 'description', 'status', 'priority', 'metadata'] as const;
const CLEARABLE = ['dueDate', 'estimateMinutes', 'assigneeId', 'milestoneId'] as const;

/** Only what actually differs from the task: an update that changes nothing makes no new version. */
function changesTo(task: TaskRow, input: UpdateTaskInput): Partial<NewTask> {
  const changes: Record<string, unknown> = {};
  for (const key of REQUIRED) {
    const value = input[key];
    if (value == null) continue;
    const same = key === 'metadata' ? JSON.stringify(value) === JSON.stringify(task.metadata) : value === task[key];
    if (!same) changes[key] = value;
  }
  for (const key of CLEARABLE) {
    if (input[key] !== undefined && input[key] !== task[key]) changes[key] = input[key];
  }
  return changes as Partial<NewTask>;
}

export function updateTaskDetails(
  ctx: ServiceContext,
  id: string,
  input: UpdateTaskInput,
  options: { expectedVersion?: number | null } = {},
): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const task = await lockTask(tx, organizationIds, id);
      const project = await findVisibleProject(tx, organizationIds, task.projectId);
      if (!taskPolicy.canUpdate(viewer, task, project)) throw new ForbiddenError('Only members can change tasks, and only in active projects');
      if (options.expectedVersion != null && options.expectedVersion !== task.version) {
        throw new ConflictError('The task was changed by someone else; reload it and try again', task.version);
      }
      const changes = changesTo(task, input);
      if (Object.keys(changes).length === 0) return task;
      if (changes.assigneeId) await requireAssignee(tx, task.organizationId, changes.assigneeId);
      if (changes.milestoneId) await requireMilestone(tx, organizationIds, changes.milestoneId, project, 'input.milestoneId');
      if (changes.status) changes.completedAt = completedAtFor(changes.status, new Date());
      const updated = await updateTask(tx, task.organizationId, id, changes);
      await recordTaskUpdates(tx, viewer.userId, [{ before: task, after: updated }]);
      return updated;
    },
    taskConstraints,
  );
}
