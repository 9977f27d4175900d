import type { Database } from '../../db/client';
import { inTenantTransaction } from '../../db/tenant-transaction';
import { groupedInKeyOrder } from '../../shared/unit-of-work';
import { findOpenTasksDueBetween, type DueTask } from './due-soon.repository';
import { notifyUsers } from './notify';
import { watchersOfTasks } from './watchers';

export const DEFAULT_DUE_SOON_HORIZON_HOURS = 24;

/** Due dates are calendar dates without a time zone: they are compared with UTC dates. */
const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/** One notification per recipient per task per due date: moving the due date notifies again. */
export const dueSoonKey = (task: Pick<DueTask, 'taskId' | 'dueDate'>) => `due:${task.taskId}:${task.dueDate}`;

/**
 * Notifies the assignee and the watchers of every open task due from today
 * until `horizonHours` from `now` (UTC dates, inclusive; overdue tasks are not
 * "due soon"). Idempotent: the dedupe key makes a repeated run create nothing.
 * `db` is the app role's: the due tasks are found across organizations by a
 * SECURITY DEFINER function, and the writes happen organization by
 * organization, each in its own transaction scoped to that tenant. Returns how
 * many notifications were created.
 */
export async function notifyDueSoon(db: Database, now: Date, horizonHours = DEFAULT_DUE_SOON_HORIZON_HOURS): Promise<number> {
  const due = await findOpenTasksDueBetween(db, utcDate(now), utcDate(new Date(now.getTime() + horizonHours * 3_600_000)));
  const byOrganization = new Map<string, DueTask[]>();
  for (const task of due) {
    const list = byOrganization.get(task.organizationId);
    if (list) list.push(task);
    else byOrganization.set(task.organizationId, [task]);
  }
  let created = 0;
  for (const [organizationId, dueTasks] of byOrganization) {
    created += await inTenantTransaction(db, { userId: null, organizationIds: [organizationId] }, async (tx) => {
      const taskIds = dueTasks.map((task) => task.taskId);
      const watchers = groupedInKeyOrder(taskIds, await watchersOfTasks(tx, [organizationId], taskIds), (row) => row.taskId);
      let inOrganization = 0;
      for (const [index, task] of dueTasks.entries()) {
        const recipientIds = [...(task.assigneeId ? [task.assigneeId] : []), ...watchers[index]!.map((row) => row.userId)];
        inOrganization += await notifyUsers(tx, {
          organizationId,
          recipientIds,
          kind: 'due_soon',
          actorId: null,
          taskId: task.taskId,
          dedupeKey: dueSoonKey(task),
        });
      }
      return inOrganization;
    });
  }
  return created;
}
