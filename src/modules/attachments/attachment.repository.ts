import { and, asc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { attachments } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type AttachmentRow = typeof attachments.$inferSelect;
export type NewAttachment = typeof attachments.$inferInsert;
/** A row as the API shows it: whether its task or comment (and a comment's task) is still live decides its download link. */
export type AttachmentView = AttachmentRow & { parentLive: boolean };

const inOrganizations = (organizationIds: readonly string[]) => anyOf(attachments.organizationId, organizationIds as string[]);

// Spelled with the table name: Drizzle leaves column references unqualified in a select list, where the subqueries' own columns would shadow them.
const parentLive = sql<boolean>`case
  when attachments.task_id is not null then exists (
    select 1 from tasks t
    where t.organization_id = attachments.organization_id and t.id = attachments.task_id and t.deleted_at is null)
  else exists (
    select 1 from comments c
    left join tasks ct on ct.organization_id = c.organization_id and ct.id = c.task_id
    where c.organization_id = attachments.organization_id and c.id = attachments.comment_id and c.deleted_at is null
      and (c.task_id is null or ct.deleted_at is null))
end`;

const viewColumns = { ...getTableColumns(attachments), parentLive };

/** Attachments by id, pending and deleted ones too (the fields say what they are). */
export function findAttachmentsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<AttachmentView[]> {
  return tx
    .select(viewColumns)
    .from(attachments)
    .where(and(inOrganizations(organizationIds), anyOf(attachments.id, ids as string[])));
}

/** What a task or comment lists: uploaded, not deleted, on a live parent; oldest first. */
export function findListedAttachments(
  tx: Executor,
  organizationIds: readonly string[],
  parent: { taskIds: readonly string[] } | { commentIds: readonly string[] },
): Promise<AttachmentView[]> {
  const byParent =
    'taskIds' in parent ? anyOf(attachments.taskId, parent.taskIds as string[]) : anyOf(attachments.commentId, parent.commentIds as string[]);
  return tx
    .select(viewColumns)
    .from(attachments)
    .where(and(inOrganizations(organizationIds), byParent, eq(attachments.status, 'ready'), isNull(attachments.deletedAt), parentLive))
    .orderBy(asc(attachments.createdAt), asc(attachments.id));
}

export async function lockAttachment(tx: Executor, organizationIds: readonly string[], id: string): Promise<AttachmentRow | null> {
  const [row] = await tx
    .select()
    .from(attachments)
    .where(and(inOrganizations(organizationIds), eq(attachments.id, id)))
    .for('update');
  return row ?? null;
}

export async function insertAttachment(tx: Executor, values: NewAttachment & { id: string; organizationId: string }): Promise<AttachmentRow> {
  const [row] = await tx.insert(attachments).values(values).returning();
  return row!;
}

export async function updateAttachment(tx: Executor, organizationId: string, id: string, values: Partial<NewAttachment>): Promise<AttachmentRow> {
  const [row] = await tx
    .update(attachments)
    .set(values)
    .where(and(eq(attachments.organizationId, organizationId), eq(attachments.id, id)))
    .returning();
  return row!;
}
