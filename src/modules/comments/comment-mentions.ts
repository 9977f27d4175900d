import { isUuid } from '../../graphql/ids';
import { ValidationError } from '../../shared/errors';

/**
 * Mention syntax in a comment's Markdown: `@[Display name](user:<id>)`, where
 * <id> is the user's UUID or their User global id (what the API hands out).
 * It renders as a plain link in any Markdown viewer, and the display name is
 * free text: only the id counts. Plain `@name` or `@email` is just text.
 */
const MENTION = /@\[([^\]\n]{1,200})\]\(user:([A-Za-z0-9+/=_-]{1,200})\)/g;

export type Mention = { token: string; userId: string };

/** The user id in a mention: a UUID as is, or the UUID inside a User global id. */
function userIdOf(reference: string): string | null {
  if (isUuid(reference)) return reference.toLowerCase();
  const decoded = Buffer.from(reference, 'base64').toString('utf8');
  const [typename, id] = decoded.split(':');
  return typename === 'User' && id && isUuid(id) ? id.toLowerCase() : null;
}

/** Distinct mentions of a body, in order of first appearance; a malformed one is a validation error on `path`. */
export function parseMentions(body: string, path: string): Mention[] {
  const byUser = new Map<string, Mention>();
  for (const match of body.matchAll(MENTION)) {
    const userId = userIdOf(match[2]!);
    if (!userId) throw ValidationError.field(path, `the mention ${match[0]} does not name a user`);
    if (!byUser.has(userId)) byUser.set(userId, { token: match[0], userId });
  }
  return [...byUser.values()];
}

/** Refuses mentions of anyone but current members of the organization, naming the first such mention. */
export function ensureMentionsAreMembers(mentions: readonly Mention[], memberIds: ReadonlySet<string>, path: string): void {
  const stranger = mentions.find((mention) => !memberIds.has(mention.userId));
  if (stranger) throw ValidationError.field(path, `the mention ${stranger.token} is not a member of this organization`);
}
