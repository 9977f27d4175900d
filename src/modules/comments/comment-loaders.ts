import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { ServiceContext } from '../../graphql/context';
import { asViewer, groupedInKeyOrder } from '../../shared/unit-of-work';
import { readByKeys, readSharedInDelivery } from '../../realtime/delivery-reads';
import { reactionSummaryFor, summarizeReactions, type ReactionSummaryRow } from './comment-reaction.repository';
import { findMentionsOfComments, findRevisionsOfComments, type CommentRevisionRow } from './comment.repository';

/**
 * Per request: the details of every comment on a page, one statement each
 * (reactions, mentions, revisions), whatever the page size.
 */
const groupedLoader = <T>(load: (ctx: ServiceContext, commentIds: readonly string[]) => Promise<T[][]>) =>
  createContextCache((ctx: ServiceContext) => new DataLoader<string, T[]>((commentIds) => load(ctx, commentIds)));

export const reactionsOfComment = groupedLoader<ReactionSummaryRow>(async (ctx, commentIds) => {
  const viewerId = ctx.viewer?.userId ?? null;
  // Shared: every reactor, so each subscriber can tell whether they are one of them.
  const shared = readSharedInDelivery(ctx, 'comment-reactions', commentIds, async (tx, organizationIds, keys) =>
    groupedInKeyOrder(keys, await summarizeReactions(tx, organizationIds, null, keys, { allReactors: true }), (row) => row.commentId),
  );
  if (shared) return (await shared).map((rows) => reactionSummaryFor(rows, viewerId));
  return asViewer(ctx, async (tx, organizationIds) =>
    groupedInKeyOrder(commentIds, await summarizeReactions(tx, organizationIds, viewerId, commentIds), (row) => row.commentId),
  );
});

export const mentionedIdsOfComment = groupedLoader<string>((ctx, commentIds) =>
  readByKeys(ctx, 'comment-mentions', commentIds, async (tx, organizationIds, keys) =>
    groupedInKeyOrder(keys, await findMentionsOfComments(tx, organizationIds, keys), (row) => row.commentId).map((rows) => rows.map((row) => row.userId)),
  ),
);

export const revisionsOfComment = groupedLoader<CommentRevisionRow>((ctx, commentIds) =>
  readByKeys(ctx, 'comment-revisions', commentIds, async (tx, organizationIds, keys) =>
    groupedInKeyOrder(keys, await findRevisionsOfComments(tx, organizationIds, keys), (row) => row.commentId),
  ),
);
