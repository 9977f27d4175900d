import { z } from 'zod';
import type { Transaction } from '../../db/client';
import type { ConstraintMessages } from '../../db/errors';
import { newId } from '../../db/schema/columns';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { liveMemberIdsAmong } from '../notifications/live-members';
import { COMMENT_VERBS, recordCommentActivity } from './comment-activity';
import { ensureMentionsAreMembers, parseMentions } from './comment-mentions';
import { notifyAboutNewComment, notifyMentioned } from './comment-notifications';
import { commentPolicy } from './comment.policy';
import {
  findCommentsByIds,
  findMentionedIds,
  insertComment,
  insertRevision,
  lockComment,
  deleteMentions,
  insertMentions,
  updateComment as writeComment,
  type CommentRow,
} from './comment.repository';
import { feedOfComment, findLiveTarget } from './comment-target';

export const MAX_COMMENT_LENGTH = 20_000;
export const commentBody = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`);

const BODY_PATH = 'input.body';

/** Backstops for the checks below, naming the input they are about. */
export const commentConstraints: ConstraintMessages = {
  comments_body_length: () => ValidationError.field(BODY_PATH, `must be 1 to ${MAX_COMMENT_LENGTH} characters`),
  comments_one_target: () => ValidationError.field('input', 'give exactly one of taskId and projectId'),
  comments_task_fk: () => new NotFoundError('Task'),
  comments_project_fk: () => new NotFoundError('Project'),
  comment_mentions_member_fk: () => ValidationError.field(BODY_PATH, 'mentions someone who is not a member of this organization'),
};

/** The members a body mentions; anyone else mentioned is a validation error on the body. */
async function mentionedMembers(tx: Transaction, organizationId: string, body: string): Promise<string[]> {
  const mentions = parseMentions(body, BODY_PATH);
  const members = new Set(await liveMemberIdsAmong(tx, organizationId, mentions.map((mention) => mention.userId)));
  ensureMentionsAreMembers(mentions, members, BODY_PATH);
  return mentions.map((mention) => mention.userId);
}

export type AddCommentInput = { taskId?: string | null; projectId?: string | null; body: string; id?: string };

export function addComment(ctx: ServiceContext, input: AddCommentInput): Promise<CommentRow> {
  const viewer = requireViewer(ctx);
  if (!input.taskId === !input.projectId) throw ValidationError.field('input', 'give exactly one of taskId and projectId');
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const feed = await findLiveTarget(tx, organizationIds, input);
      if (!commentPolicy.canCreate(viewer, feed.organizationId)) throw new ForbiddenError('Viewers can read and react but not comment');
      const mentionedIds = await mentionedMembers(tx, feed.organizationId, input.body);
      const id = input.id ?? newId();
      const { row, created } = await createIdempotently(
        viewer.userId,
        () =>
          insertComment(tx, {
            id,
            organizationId: feed.organizationId,
            taskId: feed.taskId,
            projectId: feed.taskId ? null : feed.projectId,
            authorId: viewer.userId,
            body: input.body,
            createdBy: viewer.userId,
          }),
        async () => (await findCommentsByIds(tx, organizationIds, [id]))[0] ?? null,
      );
      // A retried create returns the first result and has no second effect.
      if (!created) return row;
      await insertMentions(tx, row.organizationId, row.id, mentionedIds, viewer.userId);
      const event = { feed, commentId: row.id, actorId: viewer.userId };
      const activityId = await recordCommentActivity(tx, COMMENT_VERBS.created, event);
      await notifyAboutNewComment(tx, { ...event, activityId }, mentionedIds);
      return row;
    },
    commentConstraints,
  );
}

/** A comment locked for the rest of the transaction; a deleted one is not found (it takes no more changes). */
async function lockLiveComment(tx: Transaction, organizationIds: readonly string[], id: string): Promise<CommentRow> {
  const comment = await lockComment(tx, organizationIds, id);
  if (!comment || comment.deletedAt) throw new NotFoundError('Comment', id);
  return comment;
}

/** The author edits: the previous body becomes a revision, mentions are recomputed and new ones notified. */
export function updateComment(ctx: ServiceContext, id: string, body: string): Promise<CommentRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const comment = await lockLiveComment(tx, organizationIds, id);
      if (!commentPolicy.canUpdate(viewer, comment)) throw new ForbiddenError('Only the author can edit a comment');
      if (body === comment.body) return comment;
      const mentionedIds = await mentionedMembers(tx, comment.organizationId, body);
      const before = new Set(await findMentionedIds(tx, comment.organizationId, comment.id));
      const newlyMentioned = mentionedIds.filter((userId) => !before.has(userId));
      await insertRevision(tx, comment.organizationId, comment.id, comment.body, viewer.userId);
      const updated = await writeComment(tx, comment.organizationId, comment.id, { body, editedAt: new Date() });
      const mentioned = new Set(mentionedIds);
      await deleteMentions(tx, comment.organizationId, comment.id, [...before].filter((userId) => !mentioned.has(userId)));
      await insertMentions(tx, comment.organizationId, comment.id, newlyMentioned, viewer.userId);
      const feed = await feedOfComment(tx, organizationIds, comment);
      const event = { feed, commentId: comment.id, actorId: viewer.userId };
      const activityId = await recordCommentActivity(tx, COMMENT_VERBS.updated, event);
      await notifyMentioned(tx, { ...event, activityId }, newlyMentioned);
      return updated;
    },
    commentConstraints,
  );
}

/** Soft delete by the author or an admin: the comment stays in its thread, shown as deleted. */
export function deleteComment(ctx: ServiceContext, id: string): Promise<CommentRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const comment = await lockLiveComment(tx, organizationIds, id);
    if (!commentPolicy.canDelete(viewer, comment)) throw new ForbiddenError('Only the author or an admin can delete a comment');
    const deleted = await writeComment(tx, comment.organizationId, comment.id, { deletedAt: new Date() });
    const feed = await feedOfComment(tx, organizationIds, comment);
    await recordCommentActivity(tx, COMMENT_VERBS.deleted, { feed, commentId: comment.id, actorId: viewer.userId });
    return deleted;
  });
}
