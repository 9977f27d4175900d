import { builder } from '../../graphql/builder';
import { optionalIdFrom } from '../../graphql/ids';
import { decodeCursor, encodeCursor } from '../../realtime/cursor';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.graphql';
import { COMMENT_STREAMS, openCommentStream, type CommentEvent } from './comment-stream.service';
import { Comment } from './comment.type';

const CommentEventRef = builder.objectRef<CommentEvent>('CommentEvent').implement({
  description: 'A comment of the subscribed thread, as it is now.',
  fields: (t) => ({
    comment: t.field({ type: Comment, resolve: (event) => event.comment }),
    cursor: t.string({ description: 'Resume after this event with `after`.', resolve: (event) => encodeCursor(event.seq) }),
  }),
});

const streams = [
  ['commentAdded', COMMENT_STREAMS.added, 'New comments of a task or of a project (project-level comments only).'],
  ['commentUpdated', COMMENT_STREAMS.updated, 'Edited comments of a task or project thread, and reactions added or removed.'],
  ['commentDeleted', COMMENT_STREAMS.deleted, 'Deleted comments of a task or project thread (delivered as deleted: no body).'],
] as const;

for (const [name, verbs, description] of streams) {
  builder.subscriptionField(name, (t) =>
    t.field({
      type: CommentEventRef,
      description: `${description} Give exactly one of taskId and projectId.`,
      authScopes: { authenticated: true },
      args: {
        taskId: t.arg.globalID({ for: Task }),
        projectId: t.arg.globalID({ for: Project }),
        after: t.arg.string({ description: 'A cursor of an event already seen: later events are replayed first, then live ones follow.' }),
      },
      subscribe: (_root, args, ctx) =>
        openCommentStream(
          ctx,
          { taskId: optionalIdFrom(args.taskId, 'taskId'), projectId: optionalIdFrom(args.projectId, 'projectId') },
          verbs,
          decodeCursor(args.after, 'after'),
        ),
      resolve: (event) => event,
    }),
  );
}
