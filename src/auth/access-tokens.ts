import { jwtVerify, SignJWT } from 'jose';

export type AccessTokenClaims = { userId: string; sessionId: string };

const ISSUER = 'taskgraph';
const AUDIENCE = 'taskgraph-api';

export type AccessTokenSigner = {
  sign(claims: AccessTokenClaims): Promise<{ token: string; expiresAt: Date }>;
  verify(token: string): Promise<AccessTokenClaims | null>;
};

/** Short-lived HS256 JWTs; the session id inside lets a revoked session end them early. */
export function createAccessTokenSigner(secret: string, ttlSeconds: number): AccessTokenSigner {
  const key = new TextEncoder().encode(secret);
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
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
        if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return null;
        return { userId: payload.sub, sessionId: payload.sid };
      } catch {
        return null;
      }
    },
  };
}
