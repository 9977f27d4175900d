import { readByKeys } from '../../realtime/delivery-reads';
import { builder } from '../../graphql/builder';
import type { GraphQLContext } from '../../graphql/context';
import { inKeyOrder } from '../../shared/unit-of-work';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.graphql';
import { User } from '../users/user.graphql';
import type { PublicUser } from '../users/user.repository';
import { mentionedIdsOfComment, reactionsOfComment, revisionsOfComment } from './comment-loaders';
import type { ReactionSummaryRow } from './comment-reaction.repository';
import { commentPolicy } from './comment.policy';
import { findCommentsByIds, type CommentRevisionRow, type CommentRow } from './comment.repository';

/** Users by id through the User loader (batched with every other user on the page); invisible ones are left out. */
async function usersByIds(ctx: GraphQLContext, ids: readonly string[]): Promise<PublicUser[]> {
  const users = await User.getDataloader(ctx).loadMany(ids);
  return users.filter((user): user is PublicUser => user !== null && !(user instanceof Error));
}

const CommentRevision = builder.objectRef<CommentRevisionRow>('CommentRevision').implement({
  description: 'An earlier body of an edited comment.',
  fields: (t) => ({
    body: t.exposeString('body', { description: 'Markdown source as it was before the edit.' }),
    replacedAt: t.expose('createdAt', { type: 'DateTime', description: 'When an edit replaced this body.' }),
  }),
});

const ReactionSummary = builder.objectRef<ReactionSummaryRow>('ReactionSummary').implement({
  description: 'Everyone who reacted to a comment with one emoji.',
  fields: (t) => ({
    emoji: t.exposeString('emoji'),
    count: t.exposeInt('count'),
    viewerReacted: t.exposeBoolean('viewerReacted'),
    users: t.field({
      type: [User],
      description: 'The first few who reacted, earliest first; `count` says how many in all.',
      resolve: (summary, _args, ctx) => usersByIds(ctx, summary.userIds),
    }),
  }),
});

/**
 * A comment on a task or on a project. A deleted one keeps its place in the
 * thread (who wrote it and when) but shows none of its content: no body,
 * revisions, mentions or reactions.
 */
export const Comment = builder.loadableNode('Comment', {
  id: { resolve: (comment: CommentRow) => comment.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'authorId' in value && 'editedAt' in value,
  load: (ids: string[], ctx) =>
    readByKeys(ctx, 'comments', ids, async (tx, organizationIds, keys) => inKeyOrder(keys, await findCommentsByIds(tx, organizationIds, keys), (c) => c.id)),
  authScopes: (comment) => ({ orgRole: { organizationId: comment.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    body: t.string({
      nullable: true,
      description: 'Markdown source; mentions are written `@[Name](user:<user id>)`. Null once deleted.',
      resolve: (comment) => (comment.deletedAt ? null : comment.body),
    }),
    author: t.field({ type: User, nullable: true, resolve: (comment) => comment.authorId }),
    task: t.field({ type: Task, nullable: true, description: 'The task commented on; null for a project comment.', resolve: (c) => c.taskId }),
    project: t.field({
      type: Project,
      nullable: true,
      description: 'The project commented on; null for a task comment (see task.project).',
      resolve: (comment) => comment.projectId,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    editedAt: t.expose('editedAt', { type: 'DateTime', nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    isDeleted: t.boolean({ resolve: (comment) => comment.deletedAt !== null }),
    revisions: t.field({
      type: [CommentRevision],
      description: 'Earlier bodies, oldest first (the newest replaced body last).',
      resolve: (comment, _args, ctx) => (comment.deletedAt ? [] : revisionsOfComment(ctx).load(comment.id)),
    }),
    reactions: t.field({
      type: [ReactionSummary],
      description: 'One entry per emoji, in the order the emojis were first used.',
      resolve: (comment, _args, ctx) => (comment.deletedAt ? [] : reactionsOfComment(ctx).load(comment.id)),
    }),
    mentions: t.field({
      type: [User],
      description: 'Members mentioned in the body.',
      resolve: async (comment, _args, ctx) => (comment.deletedAt ? [] : usersByIds(ctx, await mentionedIdsOfComment(ctx).load(comment.id))),
    }),
    viewerCan: t.field({ type: CommentPermissions, resolve: (comment) => comment }),
  }),
});

const CommentPermissions = builder.objectRef<CommentRow>('CommentPermissions').implement({
  description: 'What the viewer may do with this comment.',
  fields: (t) => ({
    update: t.boolean({ description: 'The author only.', resolve: (c, _a, ctx) => commentPolicy.canUpdate(ctx.viewer, c) }),
    delete: t.boolean({ description: 'The author or an admin.', resolve: (c, _a, ctx) => commentPolicy.canDelete(ctx.viewer, c) }),
    react: t.boolean({ description: 'Any member, viewers included.', resolve: (c, _a, ctx) => commentPolicy.canReact(ctx.viewer, c) }),
  }),
});
