import { and, asc, desc, eq, getTableColumns, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { commentMentions, commentRevisions, comments, projects, tasks } from '../../db/schema/index';
import { afterTimeKey, timeKeysetOrder, type TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';
import { readPagesPerParent } from '../../db/pages-per-parent';

export type CommentRow = typeof comments.$inferSelect;
export type NewComment = typeof comments.$inferInsert;
export type CommentRevisionRow = typeof commentRevisions.$inferSelect;
export type ThreadOrder = 'oldest_first' | 'newest_first';

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

/** Thread order over (created_at, id): newest first walks the same index backwards. */
function threadOrder(order: ThreadOrder, time: AnyColumn, id: AnyColumn): SQL[] {
  return order === 'oldest_first' ? timeKeysetOrder(time, id) : [desc(time), desc(id)];
}

/** Rows beyond the cursor in thread order: the comparison flips with the order. */
function afterThreadKey(order: ThreadOrder, after: TimeKeysetPage['after']): SQL | undefined {
  if (order === 'oldest_first') return afterTimeKey(comments.createdAt, comments.id, after);
  return after ? sql`(${comments.createdAt}, ${comments.id}) < (${after[0].toISOString()}::timestamptz, ${after[1]}::uuid)` : undefined;
}

/** Threads hang off a task or a project: the parent table and the comment column that points at it. */
const THREAD_PARENTS = {
  task: { table: tasks, id: tasks.id, organizationId: tasks.organizationId, commentColumn: comments.taskId },
  project: { table: projects, id: projects.id, organizationId: projects.organizationId, commentColumn: comments.projectId },
} as const;

export type ThreadParent = keyof typeof THREAD_PARENTS;

/**
 * The same page of several threads in one statement (deleted comments
 * included, they show as deleted), `limit + 1` rows each (the extra one says
 * there is more). Each parent joins laterally to its own ordered, limited page,
 * so every thread still walks its (organization_id, target, created_at, id)
 * index and stops early. A project's thread holds only project-level
 * comments, not its tasks' comments. Parents of another organization get an
 * empty page.
 */
export async function listThreadPages(
  tx: Executor,
  organizationId: string,
  threads: { parent: ThreadParent; parentIds: readonly string[] },
  order: ThreadOrder,
  page: TimeKeysetPage,
): Promise<Map<string, CommentRow[]>> {
  const parent = THREAD_PARENTS[threads.parent];
  const columns = getTableColumns(comments);
  const pageOfParent = tx
    .select(columns)
    .from(comments)
    .where(and(eq(comments.organizationId, organizationId), eq(parent.commentColumn, parent.id), afterThreadKey(order, page.after)))
    .orderBy(...threadOrder(order, comments.createdAt, comments.id))
    .limit(page.limit + 1)
    .as('page');
  return readPagesPerParent<typeof columns, CommentRow>(tx, {
    parent,
    organizationId,
    parentIds: threads.parentIds,
    page: pageOfParent,
    selection: columns,
    orderBy: (pageColumns) => threadOrder(order, pageColumns.createdAt, pageColumns.id),
  });
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
