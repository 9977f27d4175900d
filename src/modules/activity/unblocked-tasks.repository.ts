import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';

/**
 * Live, open tasks that `doneTaskIds` blocked and that nothing blocks any more
 * (every other live blocker is done or canceled). Run after the blockers'
 * status change, in the same transaction: the change is what it sees.
 */
export async function findTasksUnblockedBy(
  tx: Executor,
  organizationId: string,
  doneTaskIds: readonly string[],
): Promise<{ id: string; assigneeId: string | null; projectId: string }[]> {
  if (doneTaskIds.length === 0) return [];
  const ids = sql.join(doneTaskIds.map((id) => sql`${id}::uuid`), sql`, `);
  const rows = await tx.execute<{ id: string; assignee_id: string | null; project_id: string }>(sql`
    select distinct t.id, t.assignee_id, t.project_id
    from task_dependencies d
    join tasks t on t.organization_id = d.organization_id and t.id = d.to_task_id
    where d.organization_id = ${organizationId} and d.type = 'blocks' and d.from_task_id in (${ids})
      and t.deleted_at is null and t.status not in ('done', 'canceled')
      and not exists (
        select 1
        from task_dependencies other
        join tasks blocker on blocker.organization_id = other.organization_id and blocker.id = other.from_task_id
        where other.organization_id = d.organization_id and other.type = 'blocks' and other.to_task_id = t.id
          and blocker.deleted_at is null and blocker.status not in ('done', 'canceled')
      )
  `);
  return rows.map((row) => ({ id: row.id, assigneeId: row.assignee_id, projectId: row.project_id }));
}
