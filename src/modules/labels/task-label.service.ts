import type { ServiceContext } from '../../graphql/context';
import { NotFoundError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { recordActivity } from '../../realtime/record-activity';
import { taskActivity } from '../activity/task-events';
import { peekLiveTask } from '../tasks/services/task-access';
import type { TaskRow } from '../tasks/task.repository';
import { findLabelsByIds } from './label.repository';
import { ensureCanEditTasks } from './task-edit-access';
import { attachLabels, detachLabels, findLiveLabelsOfTasks } from './task-label.repository';

/** Attaches labels to a task; labels it already has are ignored. Returns the task. */
export function addTaskLabels(ctx: ServiceContext, taskId: string, labelIds: readonly string[]): Promise<TaskRow> {
  return changeTaskLabels(ctx, taskId, labelIds, 'add');
}

/** Detaches labels from a task; labels it does not have are ignored. Returns the task. */
export function removeTaskLabels(ctx: ServiceContext, taskId: string, labelIds: readonly string[]): Promise<TaskRow> {
  return changeTaskLabels(ctx, taskId, labelIds, 'remove');
}

function changeTaskLabels(ctx: ServiceContext, taskId: string, labelIds: readonly string[], change: 'add' | 'remove'): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const task = await peekLiveTask(tx, organizationIds, taskId);
    await ensureCanEditTasks(tx, organizationIds, viewer, [task]);
    const wanted = [...new Set(labelIds)];
    // Only the task's own organization: another organization's label is "not found", even for a member of both.
    const labels = await findLabelsByIds(tx, [task.organizationId], wanted);
    // A deleted label cannot be attached, but can still be detached (it is hidden, not gone).
    const usable = new Set(labels.filter((label) => change === 'remove' || !label.deletedAt).map((label) => label.id));
    const missing = wanted.find((id) => !usable.has(id));
    if (missing) throw new NotFoundError('Label', missing);
    const before = (await findLiveLabelsOfTasks(tx, [task.organizationId], [task.id])).map((row) => row.label.id);
    if (change === 'add') await attachLabels(tx, task.organizationId, task.id, wanted, viewer.userId);
    else await detachLabels(tx, task.organizationId, task.id, wanted);
    // The visible (live) labels before and after; a change that changes nothing is not an event.
    const after = change === 'add' ? [...new Set([...before, ...wanted])] : before.filter((id) => !wanted.includes(id));
    if (after.length !== before.length) {
      await recordActivity(tx, taskActivity(task, 'task.labels_changed', viewer.userId, { labelIds: { from: before, to: after } }));
    }
    return task;
  });
}
