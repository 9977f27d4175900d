import { and, asc, eq, getTableColumns, isNull, lt, sql } from 'drizzle-orm';
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

/** What routes one abandoned upload to its tenant. */
export type AbandonedUpload = { organizationId: string; id: string; storageKey: string };

type AbandonedUploadRow = { organization_id: string; id: string; storage_key: string };

/**
 * Uploads never confirmed (still pending, deleted or not) that were requested
 * before `createdBefore`, in every organization, oldest first, at most
 * `batchSize`. Reads across tenants through find_abandoned_uploads()
 * (drizzle/0006), a SECURITY DEFINER function the app role may call; what to
 * do with them is decided again in each organization's own transaction
 * (lockAbandonedUploads).
 */
export async function findAbandonedUploads(db: Executor, createdBefore: Date, batchSize: number): Promise<AbandonedUpload[]> {
  const rows = await db.execute<AbandonedUploadRow>(
    sql`select organization_id, id, storage_key from find_abandoned_uploads(${createdBefore.toISOString()}::timestamptz, ${batchSize}::integer)`,
  );
  return rows.map((row) => ({ organizationId: row.organization_id, id: row.id, storageKey: row.storage_key }));
}

/**
 * Of `ids`, the attachments still pending and requested before
 * `createdBefore`, locked for the rest of the transaction. Rows another
 * transaction holds (a confirm in progress, another instance's sweep) are
 * skipped, not waited for.
 */
export function lockAbandonedUploads(
  tx: Executor,
  organizationId: string,
  ids: readonly string[],
  createdBefore: Date,
): Promise<{ id: string; storageKey: string }[]> {
  return tx
    .select({ id: attachments.id, storageKey: attachments.storageKey })
    .from(attachments)
    .where(
      and(
        eq(attachments.organizationId, organizationId),
        anyOf(attachments.id, ids as string[]),
        eq(attachments.status, 'pending'),
        lt(attachments.createdAt, createdBefore),
      ),
    )
    .orderBy(asc(attachments.id))
    .for('update', { skipLocked: true });
}

/** Removes attachment rows for good (only never-confirmed uploads are: nothing refers to them). */
export async function deleteAttachmentRows(tx: Executor, organizationId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.delete(attachments).where(and(eq(attachments.organizationId, organizationId), anyOf(attachments.id, ids as string[])));
}
