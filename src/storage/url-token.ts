import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a local-storage URL allows: one operation on one key until `exp`, with the upload's exact size and type. */
export type UrlGrant =
  | { op: 'put'; key: string; exp: number; size: number; type: string }
  | { op: 'get'; key: string; exp: number; type: string; name: string };

/** A key of its own for URL signing, derived from the JWT secret, so a URL token can never pass as anything else. */
export function deriveUrlSigningKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('taskgraph/storage-url/v1').digest();
}

const mac = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

/** `base64url(json).base64url(hmac)`: opaque to clients, unforgeable without the key. */
export function signGrant(key: Buffer, grant: UrlGrant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export type GrantCheck = { ok: true; grant: UrlGrant } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

export function verifyGrant(key: Buffer, token: string, now = Date.now()): GrantCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let grant: UrlGrant;
  try {
    grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as UrlGrant;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof grant?.exp !== 'number' || grant.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, grant };
}
