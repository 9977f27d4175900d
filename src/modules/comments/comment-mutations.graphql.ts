import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom, optionalIdFrom } from '../../graphql/ids';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.graphql';
import { reactionEmoji, setReaction } from './comment-reaction.service';
import { addComment, commentBody, deleteComment, updateComment } from './comment.service';
import { Comment } from './comment.type';

const AddCommentInput = builder.inputType('AddCommentInput', {
  description: 'Exactly one of taskId and projectId.',
  fields: (t) => ({
    taskId: t.globalID({ required: false, for: Task }),
    projectId: t.globalID({ required: false, for: Project }),
    id: t.string({ required: false, description: 'Client-generated UUID: retrying an add with it returns the same comment.' }),
    body: t.string({
      required: true,
      validate: commentBody,
      description: 'Markdown, 1 to 20000 characters once trimmed. Mention a member with `@[Name](user:<user id>)`.',
    }),
  }),
});

const UpdateCommentInput = builder.inputType('UpdateCommentInput', {
  fields: (t) => ({ body: t.string({ required: true, validate: commentBody }) }),
});

const commentResult = { types: MUTATION_ERRORS, dataField: { name: 'comment' } };

builder.mutationFields((t) => ({
  addComment: t.field({
    type: Comment,
    description: 'Members and up comment; mentioned members and the task’s watchers are notified.',
    errors: commentResult,
    args: { input: t.arg({ type: AddCommentInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addComment(ctx, {
        taskId: optionalIdFrom(input.taskId, 'input.taskId'),
        projectId: optionalIdFrom(input.projectId, 'input.projectId'),
        id: clientIdFrom(input.id),
        body: input.body,
      }),
  }),
  updateComment: t.field({
    type: Comment,
    description: 'The author edits; the previous body is kept in `revisions`.',
    errors: commentResult,
    args: { id: t.arg.globalID({ required: true, for: Comment }), input: t.arg({ type: UpdateCommentInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => updateComment(ctx, idFrom(id, 'id'), input.body),
  }),
  deleteComment: t.field({
    type: Comment,
    description: 'The author or an admin; the comment stays in its thread as deleted.',
    errors: commentResult,
    args: { id: t.arg.globalID({ required: true, for: Comment }) },
    resolve: (_root, { id }, ctx) => deleteComment(ctx, idFrom(id, 'id')),
  }),
  addReaction: t.field({
    type: Comment,
    description: 'One reaction per user per emoji: adding it again changes nothing. Viewers may react too.',
    errors: commentResult,
    args: { commentId: t.arg.globalID({ required: true, for: Comment }), emoji: t.arg.string({ required: true, validate: reactionEmoji }) },
    resolve: (_root, { commentId, emoji }, ctx) => setReaction(ctx, idFrom(commentId, 'commentId'), emoji, true),
  }),
  removeReaction: t.field({
    type: Comment,
    errors: commentResult,
    args: { commentId: t.arg.globalID({ required: true, for: Comment }), emoji: t.arg.string({ required: true, validate: reactionEmoji }) },
    resolve: (_root, { commentId, emoji }, ctx) => setReaction(ctx, idFrom(commentId, 'commentId'), emoji, false),
  }),
}));
