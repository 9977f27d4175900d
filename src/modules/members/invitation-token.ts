import { generateOpaqueToken, hashOpaqueToken } from '../../auth/secrets';
import { INVITATION_TOKEN_PREFIX } from '../../auth/token-kinds';

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/*
 * `tgi_<organization id as 32 hex digits>.<random secret>`. The organization
 * part lets the server look the invitation up inside that one tenant (row-level
 * security never lets it search all of them); the secret is what proves the
 * holder received the invitation. Only the token's hash is stored.
 */
const TOKEN = new RegExp(`^${INVITATION_TOKEN_PREFIX}([0-9a-f]{32})\\.[A-Za-z0-9_-]{43}$`);

export function createInvitationToken(organizationId: string): { token: string; tokenHash: string } {
  const token = generateOpaqueToken(`${INVITATION_TOKEN_PREFIX}${organizationId.replaceAll('-', '')}.`);
  return { token, tokenHash: hashOpaqueToken(token) };
}

/** The organization the token names and the hash to look it up by; null when it is not an invitation token. */
export function readInvitationToken(token: string): { organizationId: string; tokenHash: string } | null {
  const hex = TOKEN.exec(token)?.[1];
  if (!hex) return null;
  const organizationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { organizationId, tokenHash: hashOpaqueToken(token) };
}
