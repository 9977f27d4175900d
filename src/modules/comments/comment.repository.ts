import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { commentMentions, commentRevisions, comments } from '../../db/schema/index';
import { afterTimeKey, timeKeysetOrder, type TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';

export type CommentRow = typeof comments.$inferSelect;
export type NewComment = typeof comments.$inferInsert;
export type CommentRevisionRow = typeof commentRevisions.$inferSelect;
export type ThreadOrder = 'oldest_first' | 'newest_first';
export type CommentTarget = { taskId: string } | { projectId: string };

const inOrganizations = (organizationIds: readonly string[]) => anyOf(comments.organizationId, organizationIds as string[]);

/** Comments by id, deleted ones too: a deleted comment still shows (as deleted) in its thread. */
export function findCommentsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<CommentRow[]> {
  return tx
    .select()
    .from(comments)
    .where(and(inOrganizations(organizationIds), anyOf(comments.id, ids as string[])));
}

export async function lockComment(tx: Executor, organizationIds: readonly string[], id: string): Promise<CommentRow | null> {
  const [row] = await tx
    .select()
    .from(comments)
    .where(and(inOrganizations(organizationIds), eq(comments.id, id)))
    .for('update');
  return row ?? null;
}

/** Newest first walks the same (created_at, id) index backwards: the cursor comparison flips with it. */
function threadKeyset(order: ThreadOrder, after: TimeKeysetPage['after']): { where: SQL | undefined; orderBy: SQL[] } {
  if (order === 'oldest_first') {
    return { where: afterTimeKey(comments.createdAt, comments.id, after), orderBy: timeKeysetOrder(comments.createdAt, comments.id) };
  }
  return {
    where: after ? sql`(${comments.createdAt}, ${comments.id}) < (${after[0].toISOString()}::timestamptz, ${after[1]}::uuid)` : undefined,
    orderBy: [desc(comments.createdAt), desc(comments.id)],
  };
}

/**
 * One page of a thread (deleted comments included, they show as deleted).
 * A project's thread holds only project-level comments, not its tasks' comments.
 */
export function listThread(tx: Executor, organizationId: string, target: CommentTarget, order: ThreadOrder, page: TimeKeysetPage) {
  const keyset = threadKeyset(order, page.after);
  const targetFilter = 'taskId' in target ? eq(comments.taskId, target.taskId) : eq(comments.projectId, target.projectId);
  return tx
    .select()
    .from(comments)
    .where(and(eq(comments.organizationId, organizationId), targetFilter, keyset.where))
    .orderBy(...keyset.orderBy)
    .limit(page.limit + 1);
}

export async function insertComment(tx: Executor, values: NewComment & { id: string; organizationId: string }): Promise<CommentRow | null> {
  const [row] = await tx.insert(comments).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateComment(tx: Executor, organizationId: string, id: string, values: Partial<NewComment>): Promise<CommentRow> {
  const [row] = await tx
    .update(comments)
    .set(values)
    .where(and(eq(comments.organizationId, organizationId), eq(comments.id, id)))
    .returning();
  if (!row) throw new Error(`comment ${id} vanished inside its transaction`);
  return row;
}

export async function insertRevision(tx: Executor, organizationId: string, commentId: string, body: string, createdBy: string): Promise<void> {
  await tx.insert(commentRevisions).values({ organizationId, commentId, body, createdBy });
}

/** Previous bodies of the given comments, oldest first (newest last) within each comment. */
export function findRevisionsOfComments(tx: Executor, organizationIds: readonly string[], commentIds: readonly string[]) {
  return tx
    .select()
    .from(commentRevisions)
    .where(and(anyOf(commentRevisions.organizationId, organizationIds as string[]), anyOf(commentRevisions.commentId, commentIds as string[])))
    .orderBy(asc(commentRevisions.commentId), asc(commentRevisions.createdAt), asc(commentRevisions.id));
}

export async function findMentionedIds(tx: Executor, organizationId: string, commentId: string): Promise<string[]> {
  const rows = await tx
    .select({ userId: commentMentions.userId })
    .from(commentMentions)
    .where(and(eq(commentMentions.organizationId, organizationId), eq(commentMentions.commentId, commentId)));
  return rows.map((row) => row.userId);
}

export async function insertMentions(
  tx: Executor,
  organizationId: string,
  commentId: string,
  userIds: readonly string[],
  createdBy: string,
): Promise<void> {
  if (userIds.length === 0) return;
  await tx.insert(commentMentions).values(userIds.map((userId) => ({ organizationId, commentId, userId, createdBy })));
}

export async function deleteMentions(tx: Executor, organizationId: string, commentId: string, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .delete(commentMentions)
    .where(
      and(
        eq(commentMentions.organizationId, organizationId),
        eq(commentMentions.commentId, commentId),
        anyOf(commentMentions.userId, userIds as string[]),
      ),
    );
}

/** Mentioned user ids of the given comments, one query for a whole page. */
export function findMentionsOfComments(tx: Executor, organizationIds: readonly string[], commentIds: readonly string[]) {
  return tx
    .select({ commentId: commentMentions.commentId, userId: commentMentions.userId })
    .from(commentMentions)
    .where(and(anyOf(commentMentions.organizationId, organizationIds as string[]), anyOf(commentMentions.commentId, commentIds as string[])))
    .orderBy(asc(commentMentions.commentId), asc(commentMentions.createdAt), asc(commentMentions.userId));
}
