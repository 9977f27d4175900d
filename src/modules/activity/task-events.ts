import type { Executor } from '../../db/client';
import type { ActivityChanges } from '../../db/schema/index';
import { recordActivity, type ActivityInput } from '../../realtime/record-activity';
import { notifyUsers } from '../notifications/notify';
import { watchersOfTasks, watchTask } from '../notifications/watchers';
import type { TaskRow } from '../tasks/task.repository';
import { activityChanges, hasChanges } from './activity-changes';
import { findTasksUnblockedBy } from './unblocked-tasks.repository';

// What task mutations write besides the task itself, in their transaction: the activity event(s),
// who starts watching, who is notified.

type TaskRef = Pick<TaskRow, 'id' | 'organizationId' | 'projectId'>;

export const taskActivity = (task: TaskRef, verb: string, actorId: string, changes: ActivityChanges = {}): ActivityInput => ({
  organizationId: task.organizationId,
  actorId,
  verb,
  subjectType: 'task',
  subjectId: task.id,
  projectId: task.projectId,
  taskId: task.id,
  changes,
});

const UPDATE_FIELDS = ['title', 'description', 'status', 'priority', 'dueDate', 'estimateMinutes', 'assigneeId', 'milestoneId', 'metadata'] as const;
const MOVE_FIELDS = ['projectId', 'parentId', 'milestoneId', 'rank'] as const;

/** One event per mutation: a status change names it, else a new assignee, else a plain update. */
const updateVerb = (changes: ActivityChanges) =>
  'status' in changes ? 'task.status_changed' : 'assigneeId' in changes ? 'task.assigned' : 'task.updated';

/** A new task: its event, the creator watching it, and its assignee watching and told. */
export async function recordTaskCreated(tx: Executor, actorId: string, task: TaskRow): Promise<void> {
  const [activityId] = await recordActivity(tx, taskActivity(task, 'task.created', actorId));
  await watchTask(tx, task.organizationId, task.id, actorId, 'creator');
  if (task.assigneeId) await onAssigned(tx, actorId, task, task.assigneeId, activityId!);
}

/**
 * Field changes of tasks, one event per task that changed (with all its
 * changed fields), and what follows: a new assignee watches and is told; a
 * task done tells the people of the tasks it no longer blocks.
 */
export async function recordTaskUpdates(tx: Executor, actorId: string, changed: readonly { before: TaskRow; after: TaskRow }[]): Promise<void> {
  const updates = changed
    .map(({ before, after }) => ({ before, after, changes: activityChanges(before, after, UPDATE_FIELDS) }))
    .filter((update) => hasChanges(update.changes));
  const ids = await recordActivity(tx, ...updates.map(({ after, changes }) => taskActivity(after, updateVerb(changes), actorId, changes)));
  for (const [i, { after, changes }] of updates.entries()) {
    if (after.assigneeId && 'assigneeId' in changes) await onAssigned(tx, actorId, after, after.assigneeId, ids[i]!);
  }
  const done = updates.filter(({ before, after }) => before.status !== 'done' && after.status === 'done').map(({ after }) => after);
  await notifyUnblocked(tx, actorId, done);
}

/**
 * A move: the task's event with its position changes, and one for each
 * subtask that changed project with it (the old project's feed learns it left).
 */
export async function recordTaskMoved(tx: Executor, actorId: string, before: TaskRow, after: TaskRow, movedAlong: readonly TaskRow[]): Promise<void> {
  const projectChange = { projectId: { from: before.projectId, to: after.projectId } };
  await recordActivity(
    tx,
    taskActivity(after, 'task.moved', actorId, activityChanges(before, after, MOVE_FIELDS)),
    ...movedAlong.map((subtask) => taskActivity(subtask, 'task.moved', actorId, projectChange)),
  );
}

/** The assignee watches the task and is notified (notifyUsers skips people assigning themselves). */
async function onAssigned(tx: Executor, actorId: string, task: TaskRef, assigneeId: string, activityId: string): Promise<void> {
  await watchTask(tx, task.organizationId, task.id, assigneeId, 'assignee');
  await notifyUsers(tx, { organizationId: task.organizationId, recipientIds: [assigneeId], kind: 'assigned', actorId, taskId: task.id, activityId });
}

async function notifyUnblocked(tx: Executor, actorId: string, doneTasks: readonly TaskRow[]): Promise<void> {
  for (const organizationId of new Set(doneTasks.map((task) => task.organizationId))) {
    const doneIds = doneTasks.filter((task) => task.organizationId === organizationId).map((task) => task.id);
    const unblocked = await findTasksUnblockedBy(tx, organizationId, doneIds);
    if (unblocked.length === 0) continue;
    const watchers = await watchersOfTasks(tx, [organizationId], unblocked.map((task) => task.id));
    for (const task of unblocked) {
      const recipientIds = [task.assigneeId, ...watchers.filter((w) => w.taskId === task.id).map((w) => w.userId)].filter(
        (id): id is string => id !== null,
      );
      await notifyUsers(tx, { organizationId, recipientIds, kind: 'unblocked', actorId, taskId: task.id });
    }
  }
}
