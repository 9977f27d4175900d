import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';

export type DueTask = { organizationId: string; taskId: string; assigneeId: string | null; dueDate: string };

type DueTaskRow = { organization_id: string; task_id: string; assignee_id: string | null; due_date: string };

/**
 * Open tasks due between two dates (inclusive), in every organization: live
 * tasks not done or canceled, in live, active projects of live organizations;
 * by organization, then due date. Reads across tenants through
 * find_open_tasks_due_between() (drizzle/0006), a SECURITY DEFINER function
 * the app role may call: it returns only what routes the work, which then
 * happens in each organization's own tenant transaction.
 */
export async function findOpenTasksDueBetween(db: Executor, fromDate: string, toDate: string): Promise<DueTask[]> {
  const rows = await db.execute<DueTaskRow>(
    sql`select organization_id, task_id, assignee_id, due_date from find_open_tasks_due_between(${fromDate}::date, ${toDate}::date)`,
  );
  return rows.map((row) => ({ organizationId: row.organization_id, taskId: row.task_id, assigneeId: row.assignee_id, dueDate: row.due_date }));
}
