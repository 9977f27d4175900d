import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { commentReactions } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

/** How many reactors a summary names; the rest are only counted. */
export const REACTORS_SHOWN = 3;

export type ReactionSummaryRow = { commentId: string; emoji: string; count: number; viewerReacted: boolean; userIds: string[] };

/** Adds a reaction; adding the same one twice changes nothing. Returns whether a row was added. */
export async function insertReaction(
  tx: Executor,
  values: { organizationId: string; commentId: string; userId: string; emoji: string },
): Promise<boolean> {
  const rows = await tx
    .insert(commentReactions)
    .values({ ...values, createdBy: values.userId })
    .onConflictDoNothing()
    .returning({ emoji: commentReactions.emoji });
  return rows.length > 0;
}

/** Returns whether a reaction was removed. */
export async function deleteReaction(
  tx: Executor,
  values: { organizationId: string; commentId: string; userId: string; emoji: string },
): Promise<boolean> {
  const rows = await tx
    .delete(commentReactions)
    .where(
      and(
        eq(commentReactions.organizationId, values.organizationId),
        eq(commentReactions.commentId, values.commentId),
        eq(commentReactions.userId, values.userId),
        eq(commentReactions.emoji, values.emoji),
      ),
    )
    .returning({ emoji: commentReactions.emoji });
  return rows.length > 0;
}

/**
 * Reactions of many comments grouped by emoji, in one query: the count, whether
 * the viewer is among them, and the first reactors (earliest first): the first
 * REACTORS_SHOWN of them, or all with `allReactors`. Emojis are ordered by
 * their first use, so a summary does not reshuffle as counts change.
 */
export function summarizeReactions(
  tx: Executor,
  organizationIds: readonly string[],
  viewerId: string | null,
  commentIds: readonly string[],
  { allReactors = false } = {},
): Promise<ReactionSummaryRow[]> {
  const reactors = sql<string[]>`array_agg(${commentReactions.userId} order by ${commentReactions.createdAt}, ${commentReactions.userId})`;
  return tx
    .select({
      commentId: commentReactions.commentId,
      emoji: commentReactions.emoji,
      count: sql<number>`count(*)::int`,
      viewerReacted: sql<boolean>`coalesce(bool_or(${commentReactions.userId} = ${viewerId}::uuid), false)`,
      userIds: allReactors ? reactors : sql<string[]>`(${reactors})[1:${sql.raw(String(REACTORS_SHOWN))}]`,
    })
    .from(commentReactions)
    .where(and(anyOf(commentReactions.organizationId, organizationIds as string[]), anyOf(commentReactions.commentId, commentIds as string[])))
    .groupBy(commentReactions.commentId, commentReactions.emoji)
    .orderBy(asc(commentReactions.commentId), sql`min(${commentReactions.createdAt})`, asc(commentReactions.emoji));
}

/** The summary as `viewerId` sees it, from one made with every reactor (`allReactors`): shared rows stay untouched. */
export function reactionSummaryFor(rows: readonly ReactionSummaryRow[], viewerId: string | null): ReactionSummaryRow[] {
  return rows.map((row) => ({
    ...row,
    viewerReacted: viewerId !== null && row.userIds.includes(viewerId),
    userIds: row.userIds.slice(0, REACTORS_SHOWN),
  }));
}
