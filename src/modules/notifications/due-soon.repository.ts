import { and, eq, gte, isNotNull, isNull, lte, notInArray } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizations, projects, tasks } from '../../db/schema/index';

export type DueTask = { organizationId: string; taskId: string; assigneeId: string | null; dueDate: string };

/**
 * Open tasks due between two dates (inclusive), in every organization: live
 * tasks not done or canceled, in live, active projects of live organizations.
 * Reads across tenants, so it needs a connection row-level security does not
 * restrict (see due-soon-job.ts).
 */
export function findOpenTasksDueBetween(tx: Executor, fromDate: string, toDate: string): Promise<DueTask[]> {
  return tx
    .select({ organizationId: tasks.organizationId, taskId: tasks.id, assigneeId: tasks.assigneeId, dueDate: tasks.dueDate })
    .from(tasks)
    .innerJoin(
      projects,
      and(
        eq(projects.organizationId, tasks.organizationId),
        eq(projects.id, tasks.projectId),
        isNull(projects.deletedAt),
        eq(projects.status, 'active'),
      ),
    )
    .innerJoin(organizations, and(eq(organizations.id, tasks.organizationId), isNull(organizations.deletedAt)))
    .where(
      and(
        isNull(tasks.deletedAt),
        notInArray(tasks.status, ['done', 'canceled']),
        isNotNull(tasks.dueDate),
        gte(tasks.dueDate, fromDate),
        lte(tasks.dueDate, toDate),
      ),
    )
    .orderBy(tasks.organizationId, tasks.dueDate, tasks.id) as Promise<DueTask[]>;
}

