import type { ActivityChanges } from '../../db/schema/index';
import type { Executor } from '../../db/client';
import { recordActivity } from '../../realtime/record-activity';
import type { CommentFeed } from './comment-target';

export const COMMENT_VERBS = {
  created: 'comment.created',
  updated: 'comment.updated',
  deleted: 'comment.deleted',
  reactionAdded: 'comment.reaction_added',
  reactionRemoved: 'comment.reaction_removed',
} as const;

export type CommentVerb = (typeof COMMENT_VERBS)[keyof typeof COMMENT_VERBS];

/**
 * Records a comment change in the caller's transaction, on its task's and
 * project's feeds (so both topics see it). Bodies never go into `changes`:
 * the feed outlives a later delete. Returns the activity id.
 */
export async function recordCommentActivity(
  tx: Executor,
  verb: CommentVerb,
  event: { feed: CommentFeed; commentId: string; actorId: string; changes?: ActivityChanges },
): Promise<string> {
  const [activityId] = await recordActivity(tx, {
    organizationId: event.feed.organizationId,
    actorId: event.actorId,
    verb,
    subjectType: 'comment',
    subjectId: event.commentId,
    taskId: event.feed.taskId,
    projectId: event.feed.projectId,
    changes: event.changes,
  });
  return activityId!;
}
