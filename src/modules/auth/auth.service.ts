import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hashPassword, verifyPassword } from '../../auth/passwords';
import { issueRefreshToken, sessionIdOfIssuedRefreshToken } from '../../auth/refresh-tokens';
import { hashOpaqueToken } from '../../auth/secrets';
import { newId } from '../../db/schema/columns';
import type { GraphQLContext, ServiceContext } from '../../graphql/context';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../../shared/errors';
import { afterCommit, asViewer, requireViewer } from '../../shared/unit-of-work';
import { findVisibleUsersByIds, type PublicUser } from '../users/user.repository';
import { findLiveUserByEmail, insertUser, withoutPassword } from './account.repository';
import { announceAccessChange } from '../../realtime/access-watch';
import { insertSession, revokeReplayedSession, revokeSessions, rotateSessionToken } from './session.repository';

export const emailAddress = z.string().max(254, 'must be at most 254 characters');
export const userName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const newPassword = z.string().min(10, 'must be at least 10 characters').max(200, 'must be at most 200 characters');
/** Log-in checks only the upper bound: it keeps argon2 from hashing megabytes, and older passwords stay valid. */
export const givenPassword = z.string().max(200, 'must be at most 200 characters');

/** What auth services need beyond a plain service: signing, token lifetimes, the client's user agent. */
export type AuthContext = ServiceContext & Pick<GraphQLContext, 'signer' | 'config' | 'userAgent' | 'realtime'>;

export type AuthPayload = {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  user: PublicUser;
};

// One message for an unknown email and a wrong password, so log-in does not reveal who has an account.
const INVALID_CREDENTIALS = 'The email or password is incorrect';
const INVALID_REFRESH_TOKEN = 'The refresh token is invalid, expired or revoked';
const EMAIL_TAKEN = () => ValidationError.field('input.email', 'is already registered');
const MAX_USER_AGENT_LENGTH = 512;

export async function signUp(ctx: AuthContext, input: { email: string; name: string; password: string }): Promise<AuthPayload> {
  const passwordHash = await hashPassword(input.password);
  const userId = newId();
  const session = newSession(ctx, newId());
  const user = await asViewer(
    ctx,
    async (tx) => {
      if (await findLiveUserByEmail(tx, input.email)) throw EMAIL_TAKEN();
      const user = await insertUser(tx, { id: userId, email: input.email, name: input.name, passwordHash });
      await insertSession(tx, user.id, session.row);
      return user;
    },
    // Two sign-ups racing with the same email: the unique index decides.
    { users_email_key: EMAIL_TAKEN },
  );
  return authPayload(ctx, user, session);
}

export async function logIn(ctx: AuthContext, input: { email: string; password: string }): Promise<AuthPayload> {
  const account = await asViewer(ctx, (tx) => findLiveUserByEmail(tx, input.email));
  // Verify even without an account, so the response time does not tell whether the email exists.
  const passwordMatches = await verifyPassword(account?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!account || !passwordMatches) throw new UnauthenticatedError(INVALID_CREDENTIALS);
  const session = newSession(ctx, newId());
  // Its own short transaction: no connection is held while argon2 runs.
  await asViewer(ctx, (tx) => insertSession(tx, account.id, session.row));
  return authPayload(ctx, withoutPassword(account), session);
}

/**
 * Trades a refresh token for new tokens; the old refresh token stops working.
 * A token the server issued that is no longer current was already rotated, so
 * someone is replaying it: the whole session is revoked (the thief and the
 * owner both have to log in again).
 */
export async function refreshSession(ctx: AuthContext, refreshToken: string): Promise<AuthPayload> {
  const sessionId = sessionIdOfIssuedRefreshToken(ctx.config.auth.jwtSecret, refreshToken);
  if (!sessionId) throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
  const session = newSession(ctx, sessionId);
  const { user, revokedFor } = await asViewer(ctx, async (tx) => {
    const rotated = await rotateSessionToken(tx, sessionId, {
      currentHash: hashOpaqueToken(refreshToken),
      nextHash: session.row.refreshTokenHash,
      expiresAt: session.row.expiresAt,
    });
    if (!rotated) {
      const revoked = await revokeReplayedSession(tx, sessionId);
      return { user: null, revokedFor: revoked?.userId ?? null };
    }
    const [user] = await findVisibleUsersByIds(tx, rotated.userId, [], [rotated.userId]);
    return { user: user ?? null, revokedFor: null };
  });
  // Once committed: the session's open subscriptions end now, not at their next background re-check.
  if (revokedFor) afterCommit(ctx, () => announceAccessChange(ctx.realtime.pubsub, [revokedFor]));
  // Thrown after the transaction committed, so the revocation above is kept.
  if (!user) throw new UnauthenticatedError(INVALID_REFRESH_TOKEN);
  return authPayload(ctx, user, session);
}

/** Ends the session behind the current access token; its access tokens stop working at once. */
export async function logOut(ctx: ServiceContext & Pick<GraphQLContext, 'realtime'>): Promise<boolean> {
  const viewer = requireViewer(ctx);
  const sessionId = viewer.sessionId;
  if (!sessionId) throw new ForbiddenError('This request uses an API token, not a session: revoke it with revokeApiToken');
  await asViewer(ctx, (tx) => revokeSessions(tx, viewer.userId, sessionId));
  afterCommit(ctx, () => announceAccessChange(ctx.realtime.pubsub, [viewer.userId]));
  return true;
}

/** Ends every session of the viewer (API tokens stay: they are revoked one by one). Returns how many were live. */
export async function logOutEverywhere(ctx: ServiceContext & Pick<GraphQLContext, 'realtime'>): Promise<number> {
  const viewer = requireViewer(ctx);
  const revoked = await asViewer(ctx, (tx) => revokeSessions(tx, viewer.userId));
  afterCommit(ctx, () => announceAccessChange(ctx.realtime.pubsub, [viewer.userId]));
  return revoked;
}

type IssuedSession = { refreshToken: string; row: { id: string; refreshTokenHash: string; userAgent: string | null; expiresAt: Date } };

function newSession(ctx: AuthContext, sessionId: string): IssuedSession {
  const refreshToken = issueRefreshToken(ctx.config.auth.jwtSecret, sessionId);
  return {
    refreshToken,
    row: {
      id: sessionId,
      refreshTokenHash: hashOpaqueToken(refreshToken),
      userAgent: ctx.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
      // Sliding lifetime: each refresh grants another full period.
      expiresAt: new Date(Date.now() + ctx.config.auth.refreshTokenTtlDays * 86_400_000),
    },
  };
}

async function authPayload(ctx: AuthContext, user: PublicUser, session: IssuedSession): Promise<AuthPayload> {
  const access = await ctx.signer.sign({ userId: user.id, sessionId: session.row.id });
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken: session.refreshToken,
    refreshTokenExpiresAt: session.row.expiresAt,
    user,
  };
}

let dummyHash: Promise<string> | undefined;
/** A hash of a random password, made with the same parameters as real ones (so verifying it costs the same). */
const dummyPasswordHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('base64url')));
