import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import type { ApiTokenRow } from './api-token.repository';
import {
  apiTokenLifetimeDays,
  apiTokenName,
  createApiToken,
  loadApiTokens,
  revokeApiToken,
  type CreatedApiToken,
} from './api-token.service';

export const ApiToken = builder.loadableNode('ApiToken', {
  description: 'A personal API token: send it as `Authorization: Bearer tgp_...`. Only its owner sees it.',
  id: { resolve: (token: ApiTokenRow) => token.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'displayPrefix' in value,
  load: (ids: string[], ctx) => loadApiTokens(ctx, ids),
  fields: (t) => ({
    name: t.exposeString('name'),
    displayPrefix: t.exposeString('displayPrefix', { description: 'The first characters of the token, to tell tokens apart.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true, description: 'Null: the token does not expire.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreatedApiTokenRef = builder.objectRef<CreatedApiToken>('CreatedApiToken').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'The token itself. Shown only this once: it is stored as a hash.' }),
    apiToken: t.field({ type: ApiToken, resolve: (created) => created.apiToken }),
  }),
});

const CreateApiTokenInput = builder.inputType('CreateApiTokenInput', {
  fields: (t) => ({
    name: t.string({ required: true, validate: apiTokenName }),
    expiresInDays: t.int({ required: false, validate: apiTokenLifetimeDays, description: 'Omit for a token that does not expire.' }),
  }),
});

builder.mutationFields((t) => ({
  createApiToken: t.field({
    type: CreatedApiTokenRef,
    description: 'Needs a logged-in session: an API token cannot create API tokens.',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: CreateApiTokenInput, required: true }) },
    resolve: (_root, { input }, ctx) => createApiToken(ctx, { name: input.name, expiresInDays: input.expiresInDays }),
  }),
  revokeApiToken: t.field({
    type: ApiToken,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'apiToken' } },
    args: { id: t.arg.globalID({ required: true, for: ApiToken }) },
    resolve: (_root, { id }, ctx) => revokeApiToken(ctx, idFrom(id, 'id')),
  }),
}));
