import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { REFRESH_TOKEN_PREFIX } from './token-kinds';

/**
 * Refresh tokens are `tgr_<sessionId>.<nonce>.<mac>`. The database stores only
 * the hash of the current one (see secrets.ts). The MAC lets the server tell a
 * token it issued earlier (an already rotated one, so a replay: possible theft)
 * from a made-up one carrying a guessed session id, without keeping old hashes.
 */
export function issueRefreshToken(secret: string, sessionId: string): string {
  const body = `${sessionId}.${randomBytes(32).toString('base64url')}`;
  return `${REFRESH_TOKEN_PREFIX}${body}.${macOf(secret, body)}`;
}

/** The session a token was issued for, when the server really issued it; null for anything else. */
export function sessionIdOfIssuedRefreshToken(secret: string, token: string): string | null {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return null;
  const parts = token.slice(REFRESH_TOKEN_PREFIX.length).split('.');
  if (parts.length !== 3) return null;
  const [sessionId, nonce, mac] = parts as [string, string, string];
  const expected = Buffer.from(macOf(secret, `${sessionId}.${nonce}`));
  const given = Buffer.from(mac);
  return given.length === expected.length && timingSafeEqual(given, expected) ? sessionId : null;
}

function macOf(secret: string, body: string): string {
  // Domain-separated from the access-token signature that uses the same secret.
  return createHmac('sha256', secret).update(`taskgraph refresh token\0${body}`).digest('base64url');
}
