import { and, eq, exists, gt, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { sessions, users } from '../../db/schema/index';

export type NewSession = { id: string; refreshTokenHash: string; userAgent: string | null; expiresAt: Date };

export async function insertSession(tx: Executor, userId: string, session: NewSession): Promise<void> {
  await tx.insert(sessions).values({ ...session, userId, createdBy: userId });
}

/**
 * Swaps the refresh token of a live session (not revoked, not expired, its
 * user not deleted), only if `currentHash` is still the current one. A single
 * UPDATE, so two requests racing with the same token cannot both win.
 */
export async function rotateSessionToken(
  tx: Executor,
  sessionId: string,
  rotation: { currentHash: string; nextHash: string; expiresAt: Date },
): Promise<{ userId: string } | null> {
  const userIsLive = exists(
    tx
      .select({ one: sql`1` })
      .from(users)
      .where(and(eq(users.id, sessions.userId), isNull(users.deletedAt))),
  );
  const [row] = await tx
    .update(sessions)
    .set({ refreshTokenHash: rotation.nextHash, expiresAt: rotation.expiresAt, lastUsedAt: sql`now()` })
    .where(
      and(
        eq(sessions.id, sessionId),
        eq(sessions.refreshTokenHash, rotation.currentHash),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        userIsLive,
      ),
    )
    .returning({ userId: sessions.userId });
  return row ?? null;
}

/** Revokes the user's sessions (one, when `sessionId` is given); returns how many were still live. */
export async function revokeSessions(tx: Executor, userId: string, sessionId?: string): Promise<number> {
  const revoked = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), sessionId ? eq(sessions.id, sessionId) : undefined, isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length;
}

/** Ends a session whose old refresh token was replayed: whoever holds its tokens must log in again. */
export async function revokeReplayedSession(tx: Executor, sessionId: string): Promise<{ userId: string } | null> {
  const [row] = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ userId: sessions.userId });
  return row ?? null;
}
