import { jwtVerify, SignJWT } from 'jose';

export type AccessTokenClaims = { userId: string; sessionId: string };

const ISSUER = 'taskgraph';
const AUDIENCE = 'taskgraph-api';

export type AccessTokenSigner = {
  sign(claims: AccessTokenClaims): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string): Promise<AccessTokenClaims | null>;
};

/** How many verified tokens to remember: a client sends the same token with every request until it expires. */
const VERIFIED_CACHE_SIZE = 10_000;

/**
 * Short-lived HS256 JWTs; the session id inside lets a revoked session end
 * them early (the session is checked on every request, not cached here).
 */
export function createAccessTokenSigner(secret: string, ttlSeconds: number): AccessTokenSigner {
  const key = new TextEncoder().encode(secret);
  // Verifying is the costliest step of authenticating a request; a token's verdict cannot change before it expires.
  const verified = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();
  return {
    async sign({ userId, sessionId }) {
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
        .sign(key);
      return { token, expiresAt };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAtMs > Date.now()) return known.claims;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string' || typeof payload.exp !== 'number') return null;
        const claims = { userId: payload.sub, sessionId: payload.sid };
        if (verified.size >= VERIFIED_CACHE_SIZE) verified.delete(verified.keys().next().value!);
        verified.set(token, { claims, expiresAtMs: payload.exp * 1000 });
        return claims;
      } catch {
        return null;
      }
    },
  };
}
