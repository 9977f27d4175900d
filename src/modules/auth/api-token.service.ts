import { z } from 'zod';
import { hashOpaqueToken, generateOpaqueToken } from '../../auth/secrets';
import { API_TOKEN_PREFIX } from '../../auth/token-kinds';
import { newId } from '../../db/schema/columns';
import type { GraphQLContext, ServiceContext } from '../../graphql/context';
import { announceAccessChange } from '../../realtime/access-watch';
import { isUuid } from '../../graphql/ids';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import { afterCommit, asViewer, inKeyOrder, requireViewer } from '../../shared/unit-of-work';
import { apiTokenPolicy } from './api-token.policy';
import {
  findApiTokensByIds,
  insertApiToken,
  listUnrevokedApiTokens,
  revokeApiTokenRow,
  type ApiTokenRow,
} from './api-token.repository';

export const apiTokenName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
export const apiTokenLifetimeDays = z.number().int().min(1, 'must be at least 1').max(365, 'must be at most 365');

/** Enough of the token to tell tokens apart in a list, far too little to guess the rest. */
const DISPLAY_PREFIX_LENGTH = API_TOKEN_PREFIX.length + 6;

export type CreatedApiToken = { token: string; apiToken: ApiTokenRow };

export async function createApiToken(
  ctx: ServiceContext,
  input: { name: string; expiresInDays?: number | null },
): Promise<CreatedApiToken> {
  const viewer = requireViewer(ctx);
  if (!apiTokenPolicy.canCreate(viewer)) throw new ForbiddenError('API tokens cannot create API tokens: log in to create one');
  const token = generateOpaqueToken(API_TOKEN_PREFIX);
  const apiToken = await asViewer(ctx, (tx) =>
    insertApiToken(tx, viewer.userId, {
      id: newId(),
      name: input.name,
      tokenHash: hashOpaqueToken(token),
      displayPrefix: token.slice(0, DISPLAY_PREFIX_LENGTH),
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
    }),
  );
  // The plaintext exists only in this response; the database keeps its hash.
  return { token, apiToken };
}

export async function revokeApiToken(ctx: ServiceContext & Pick<GraphQLContext, 'realtime'>, id: string): Promise<ApiTokenRow> {
  const viewer = requireViewer(ctx);
  const revoked = await asViewer(ctx, (tx) => revokeApiTokenRow(tx, viewer.userId, id));
  if (!revoked) throw new NotFoundError('ApiToken', id);
  afterCommit(ctx, () => announceAccessChange(ctx.realtime.pubsub, [viewer.userId]));
  return revoked;
}

export function listApiTokens(ctx: ServiceContext): Promise<ApiTokenRow[]> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, (tx) => listUnrevokedApiTokens(tx, viewer.userId));
}

/** Batch load for the node field: only the viewer's own tokens, nothing for anyone else. */
export async function loadApiTokens(ctx: ServiceContext, ids: readonly string[]): Promise<(ApiTokenRow | null)[]> {
  const viewer = ctx.viewer;
  // A malformed id names no token; passing it on would make Postgres fail the whole batch.
  const wellFormed = ids.filter(isUuid);
  if (!viewer || wellFormed.length === 0) return ids.map(() => null);
  return inKeyOrder(ids, await asViewer(ctx, (tx) => findApiTokensByIds(tx, viewer.userId, wellFormed)), (row) => row.id);
}
