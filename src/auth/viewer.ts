import { and, eq, exists, gt, isNull, or, sql } from 'drizzle-orm';
import { anyOf } from '../db/any-of';
import type { Database, Executor } from '../db/client';
import { apiTokens, organizationMembers, sessions, users } from '../db/schema/index';
import { standaloneScope, type TenantScope } from '../db/tenant-transaction';
import type { AccessTokenSigner } from './access-tokens';
import { API_TOKEN_PREFIX } from './token-kinds';
import { hashOpaqueToken } from './secrets';

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

/** The authenticated person behind a request, with their role in each organization. */
export type Viewer = Readonly<{
  userId: string;
  /** Set when authenticated by an access token (a logged-in session). */
  sessionId: string | null;
  /** Set when authenticated by a personal API token. */
  apiTokenId: string | null;
  roles: ReadonlyMap<string, Role>;
  organizationIds: readonly string[];
}>;

/**
 * Resolves a bearer token to a viewer, or null when it is missing, invalid,
 * expired or revoked. Runs in `scope` (the request's transaction when there is
 * one): the credential check and the memberships are sent together.
 */
export async function resolveViewer(
  db: Database,
  signer: AccessTokenSigner,
  bearer: string | null | undefined,
  scope: TenantScope = standaloneScope(db),
): Promise<Viewer | null> {
  if (!bearer) return null;
  if (bearer.startsWith(API_TOKEN_PREFIX)) return resolveApiToken(scope, bearer);
  const claims = await signer.verify(bearer);
  if (!claims) return null;
  return scope.run({ userId: claims.userId, organizationIds: [] }, async (tx) => {
    const [sessionRows, viewer] = await Promise.all([
      liveSessions(tx, [claims.sessionId]),
      buildViewer(tx, claims.userId, { sessionId: claims.sessionId, apiTokenId: null }),
    ]);
    return sessionRows[0]?.userId === claims.userId ? viewer : null;
  });
}

/** The sessions among `ids` that still work (not revoked, of an account not deleted): id and user. */
function liveSessions(tx: Executor, ids: readonly string[]) {
  return tx
    .select({ id: sessions.id, userId: sessions.userId })
    .from(sessions)
    .innerJoin(users, and(eq(users.id, sessions.userId), isNull(users.deletedAt)))
    .where(and(anyOf(sessions.id, ids as string[]), isNull(sessions.revokedAt)));
}

/** The API tokens among `tokenHashes` that still work (not revoked or expired, of an account not deleted), marked used now. */
function useLiveApiTokens(tx: Executor, tokenHashes: readonly string[]) {
  return tx
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        anyOf(apiTokens.tokenHash, tokenHashes as string[]),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`)),
        // Like sessions, a deleted account's tokens stop working.
        exists(tx.select({ one: sql`1` }).from(users).where(and(eq(users.id, apiTokens.userId), isNull(users.deletedAt)))),
      ),
    )
    .returning({ id: apiTokens.id, userId: apiTokens.userId, tokenHash: apiTokens.tokenHash });
}

async function resolveApiToken(scope: TenantScope, token: string): Promise<Viewer | null> {
  const [row] = await scope.run({ userId: null, organizationIds: [] }, (tx) => useLiveApiTokens(tx, [hashOpaqueToken(token)]));
  if (!row) return null;
  return scope.run({ userId: row.userId, organizationIds: [] }, (tx) =>
    buildViewer(tx, row.userId, { sessionId: null, apiTokenId: row.id }),
  );
}

type Credential = { sessionId: string | null; apiTokenId: string | null };

export async function buildViewer(
  tx: Pick<Database, 'select'>,
  userId: string,
  credential: Credential,
): Promise<Viewer> {
  const memberships = await tx
    .select({ organizationId: organizationMembers.organizationId, role: organizationMembers.role })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.userId, userId), isNull(organizationMembers.deletedAt)));
  const roles = new Map(memberships.map((m) => [m.organizationId, m.role] as const));
  return Object.freeze({ userId, ...credential, roles, organizationIds: [...roles.keys()] });
}

type Resolved = { userId: string } & Credential;

/**
 * The batch form of resolveViewer, for re-checking the access of many open
 * subscriptions at once: the same verdicts, in the order of `bearers`, from one
 * transaction of three statements however many there are (sessions, API
 * tokens, then every user's memberships through live_memberships_of(), since
 * row-level security shows a transaction only its one acting user's own).
 */
export async function resolveViewers(db: Database, signer: AccessTokenSigner, bearers: readonly string[]): Promise<(Viewer | null)[]> {
  const claims = await Promise.all(bearers.map((bearer) => (bearer.startsWith(API_TOKEN_PREFIX) ? null : signer.verify(bearer))));
  const sessionIds = [...new Set(claims.flatMap((claim) => (claim ? [claim.sessionId] : [])))];
  const tokenHashes = [...new Set(bearers.filter((bearer) => bearer.startsWith(API_TOKEN_PREFIX)).map(hashOpaqueToken))];
  if (sessionIds.length === 0 && tokenHashes.length === 0) return bearers.map(() => null);

  return standaloneScope(db).run({ userId: null, organizationIds: [] }, async (tx) => {
    const [sessionRows, liveTokens] = await Promise.all([
      sessionIds.length === 0 ? [] : liveSessions(tx, sessionIds),
      tokenHashes.length === 0 ? [] : useLiveApiTokens(tx, tokenHashes),
    ]);
    const sessionUsers = new Map(sessionRows.map((row) => [row.id, row.userId] as const));
    const tokens = new Map(liveTokens.map((row) => [row.tokenHash, row] as const));
    const resolved = bearers.map((bearer, i): Resolved | null => {
      const claim = claims[i];
      if (claim) return sessionUsers.get(claim.sessionId) === claim.userId ? { userId: claim.userId, sessionId: claim.sessionId, apiTokenId: null } : null;
      const token = bearer.startsWith(API_TOKEN_PREFIX) ? tokens.get(hashOpaqueToken(bearer)) : undefined;
      return token ? { userId: token.userId, sessionId: null, apiTokenId: token.id } : null;
    });

    const userIds = [...new Set(resolved.flatMap((credential) => (credential ? [credential.userId] : [])))];
    const memberships =
      userIds.length === 0
        ? []
        : await tx.execute<{ user_id: string; organization_id: string; role: Role }>(
            sql`select user_id, organization_id, role from live_memberships_of(${sql.param(userIds)}::uuid[])`,
          );
    const rolesByUser = new Map<string, Map<string, Role>>(userIds.map((userId) => [userId, new Map()]));
    for (const row of memberships) rolesByUser.get(row.user_id)?.set(row.organization_id, row.role);
    return resolved.map((credential) => {
      if (!credential) return null;
      const roles = rolesByUser.get(credential.userId)!;
      return Object.freeze({ ...credential, roles, organizationIds: [...roles.keys()] });
    });
  });
}
