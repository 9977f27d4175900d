import type { GraphQLContext } from '../../graphql/context';
import type { RealtimeEvent } from '../../realtime/events';
import { streamEvents } from '../../realtime/stream';
import { topics } from '../../realtime/topics';
import { ValidationError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { COMMENT_VERBS, type CommentVerb } from './comment-activity';
import { findActivityEventsAfter } from '../../realtime/activity-replay.repository';
import { loadForEvent, visibleTo } from '../../realtime/event-loads';
import { commentPolicy } from './comment.policy';
import { findCommentsByIds, type CommentRow } from './comment.repository';
import { findLiveTarget } from './comment-target';

export type CommentEvent = { comment: CommentRow; seq: number };

/** What each comment subscription follows. A reaction changes the comment's summary, so it counts as an update. */
export const COMMENT_STREAMS = {
  added: [COMMENT_VERBS.created],
  updated: [COMMENT_VERBS.updated, COMMENT_VERBS.reactionAdded, COMMENT_VERBS.reactionRemoved],
  deleted: [COMMENT_VERBS.deleted],
} as const satisfies Record<string, readonly CommentVerb[]>;

export type ThreadRef = { taskId?: string | null; projectId?: string | null };

/**
 * Comment events of one task's or one project's thread: replayed after the
 * cursor, then live. Each event is delivered with the comment as it was when
 * the event reached this instance, to viewers the comment policy lets read it
 * (a comment they can no longer read is skipped).
 */
export async function openCommentStream(
  ctx: GraphQLContext,
  thread: ThreadRef,
  verbs: readonly string[],
  after: number | null,
): Promise<AsyncIterable<CommentEvent>> {
  requireViewer(ctx);
  if (!thread.taskId === !thread.projectId) throw ValidationError.field('taskId', 'give exactly one of taskId and projectId');
  const feed = await asViewer(ctx, (tx, organizationIds) => findLiveTarget(tx, organizationIds, thread));
  const { organizationId } = feed;
  return streamEvents<CommentEvent>(ctx, {
    topic: feed.taskId ? topics.task(organizationId, feed.taskId) : topics.project(organizationId, feed.projectId),
    after,
    organizationId,
    replay: (afterSeq, limit) =>
      asViewer(ctx, (tx, organizationIds) => findActivityEventsAfter(
          tx,
          organizationIds,
          feed.taskId
            ? { organizationId: feed.organizationId, taskId: feed.taskId, subjectType: 'comment', verbs }
            : { organizationId: feed.organizationId, projectId: feed.projectId, projectLevelOnly: true, subjectType: 'comment', verbs },
          afterSeq,
          limit,
        )),
    async deliver(event: RealtimeEvent) {
      if (event.stream !== 'activity' || event.subjectType !== 'comment' || !verbs.includes(event.verb)) return null;
      // The project topic also carries its tasks' comments; a project thread is project-level comments only.
      if (!feed.taskId && event.taskId) return null;
      // Loaded once for every subscriber of the event on this instance; each sees it only if the policy lets their viewer.
      const comment = await loadForEvent(ctx.db, event, {
        purpose: 'comment',
        load: (tx, organizationIds) => findCommentsByIds(tx, organizationIds, [event.subjectId]).then((rows) => rows[0] ?? null),
      });
      if (!visibleTo(ctx.viewer, comment, commentPolicy.canView)) return null;
      return { comment, seq: event.seq };
    },
  });
}
