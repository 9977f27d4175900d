import type { Executor } from '../../db/client';
import { notifyUsers } from '../notifications/notify';
import { watcherIdsOf, watchTask } from '../notifications/watchers';
import type { CommentFeed } from './comment-target';

type CommentEvent = { feed: CommentFeed; commentId: string; actorId: string; activityId: string };

/** Tells newly mentioned members they were mentioned (notifyUsers skips the actor and non-members). */
export async function notifyMentioned(tx: Executor, event: CommentEvent, mentionedIds: readonly string[]): Promise<void> {
  await notifyUsers(tx, {
    organizationId: event.feed.organizationId,
    recipientIds: mentionedIds,
    kind: 'mentioned',
    actorId: event.actorId,
    taskId: event.feed.taskId,
    commentId: event.commentId,
    activityId: event.activityId,
  });
}

/**
 * After a new comment: mentioned members get 'mentioned'; the task's other
 * watchers get 'commented' (one notification each, a mention wins); the
 * commenter starts watching the task. Project-level comments have no watchers.
 */
export async function notifyAboutNewComment(tx: Executor, event: CommentEvent, mentionedIds: readonly string[]): Promise<void> {
  await notifyMentioned(tx, event, mentionedIds);
  const { taskId, organizationId } = event.feed;
  if (!taskId) return;
  const mentioned = new Set(mentionedIds);
  const watchers = (await watcherIdsOf(tx, organizationId, taskId)).filter((id) => !mentioned.has(id));
  await notifyUsers(tx, {
    organizationId,
    recipientIds: watchers,
    kind: 'commented',
    actorId: event.actorId,
    taskId,
    commentId: event.commentId,
    activityId: event.activityId,
  });
  await watchTask(tx, organizationId, taskId, event.actorId, 'commenter');
}
