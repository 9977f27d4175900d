import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { ServiceContext } from '../../graphql/context';
import { asViewer, groupedInKeyOrder } from '../../shared/unit-of-work';
import { summarizeReactions, type ReactionSummaryRow } from './comment-reaction.repository';
import { findMentionsOfComments, findRevisionsOfComments, type CommentRevisionRow } from './comment.repository';

/**
 * Per request: the details of every comment on a page, one statement each
 * (reactions, mentions, revisions), whatever the page size.
 */
const groupedLoader = <T>(load: (ctx: ServiceContext, commentIds: readonly string[]) => Promise<T[][]>) =>
  createContextCache((ctx: ServiceContext) => new DataLoader<string, T[]>((commentIds) => load(ctx, commentIds)));

export const reactionsOfComment = groupedLoader<ReactionSummaryRow>((ctx, commentIds) =>
  asViewer(ctx, async (tx, organizationIds) =>
    groupedInKeyOrder(commentIds, await summarizeReactions(tx, organizationIds, ctx.viewer?.userId ?? null, commentIds), (row) => row.commentId),
  ),
);

export const mentionedIdsOfComment = groupedLoader<string>((ctx, commentIds) =>
  asViewer(ctx, async (tx, organizationIds) =>
    groupedInKeyOrder(commentIds, await findMentionsOfComments(tx, organizationIds, commentIds), (row) => row.commentId).map((rows) =>
      rows.map((row) => row.userId),
    ),
  ),
);

export const revisionsOfComment = groupedLoader<CommentRevisionRow>((ctx, commentIds) =>
  asViewer(ctx, async (tx, organizationIds) =>
    groupedInKeyOrder(commentIds, await findRevisionsOfComments(tx, organizationIds, commentIds), (row) => row.commentId),
  ),
);
