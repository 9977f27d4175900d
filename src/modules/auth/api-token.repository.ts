import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { apiTokens } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

/** Everything but the token hash, which never needs to leave the database. */
const apiTokenColumns = {
  id: apiTokens.id,
  userId: apiTokens.userId,
  name: apiTokens.name,
  displayPrefix: apiTokens.displayPrefix,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
};

export type ApiTokenRow = { [K in keyof typeof apiTokenColumns]: (typeof apiTokens.$inferSelect)[K] };

export async function insertApiToken(
  tx: Executor,
  userId: string,
  values: { id: string; name: string; tokenHash: string; displayPrefix: string; expiresAt: Date | null },
): Promise<ApiTokenRow> {
  const [row] = await tx
    .insert(apiTokens)
    .values({ ...values, userId, createdBy: userId })
    .returning(apiTokenColumns);
  return row!;
}

export function findApiTokensByIds(tx: Executor, userId: string, ids: readonly string[]): Promise<ApiTokenRow[]> {
  return tx
    .select(apiTokenColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), anyOf(apiTokens.id, ids as string[])));
}

/** The user's tokens that were not revoked (expired ones included, so a user sees why a script stopped), newest first. */
export function listUnrevokedApiTokens(tx: Executor, userId: string): Promise<ApiTokenRow[]> {
  return tx
    .select(apiTokenColumns)
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
}

/** Revokes one of the user's tokens; revoking twice keeps the first time. Null when the user has no such token. */
export async function revokeApiTokenRow(tx: Executor, userId: string, id: string): Promise<ApiTokenRow | null> {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(and(eq(apiTokens.userId, userId), eq(apiTokens.id, id)))
    .returning(apiTokenColumns);
  return row ?? null;
}
