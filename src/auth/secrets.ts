import { createHash, randomBytes } from 'node:crypto';

/** A random opaque token with a readable prefix (`tgr_` refresh, `tgp_` personal, `tgi_` invitation). */
export function generateOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** Opaque tokens are high-entropy, so a fast hash is enough to store them safely. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
