import { z } from 'zod';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { COMMENT_VERBS, recordCommentActivity } from './comment-activity';
import { deleteReaction, insertReaction } from './comment-reaction.repository';
import { commentPolicy } from './comment.policy';
import { findCommentsByIds, type CommentRow } from './comment.repository';
import { feedOfComment } from './comment-target';

const MAX_EMOJI_LENGTH = 32;

/**
 * Any short token without whitespace: an emoji ("👍", "🎉", a ZWJ sequence) or
 * a shortcode ("+1", ":rocket:"); clients render it. Length counts code
 * points, as the database's check does.
 */
export const reactionEmoji = z.string().refine((value) => /^\S+$/u.test(value) && [...value].length <= MAX_EMOJI_LENGTH, {
  message: `must be 1 to ${MAX_EMOJI_LENGTH} characters without whitespace`,
});

export const reactionConstraints = {
  comment_reactions_emoji_length: () => ValidationError.field('emoji', `must be 1 to ${MAX_EMOJI_LENGTH} characters`),
};

/**
 * One reaction per user per emoji: adding one the viewer already has (or
 * removing one they do not) changes and records nothing.
 */
export function setReaction(ctx: ServiceContext, commentId: string, emoji: string, present: boolean): Promise<CommentRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const [comment] = await findCommentsByIds(tx, organizationIds, [commentId]);
      if (!comment || comment.deletedAt) throw new NotFoundError('Comment', commentId);
      if (!commentPolicy.canReact(viewer, comment)) throw new ForbiddenError('You cannot react to this comment');
      const reaction = { organizationId: comment.organizationId, commentId, userId: viewer.userId, emoji };
      const changed = present ? await insertReaction(tx, reaction) : await deleteReaction(tx, reaction);
      if (!changed) return comment;
      await recordCommentActivity(tx, present ? COMMENT_VERBS.reactionAdded : COMMENT_VERBS.reactionRemoved, {
        feed: await feedOfComment(tx, organizationIds, comment),
        commentId,
        actorId: viewer.userId,
        changes: { emoji: present ? { from: null, to: emoji } : { from: emoji, to: null } },
      });
      return comment;
    },
    reactionConstraints,
  );
}
