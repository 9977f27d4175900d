import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import { DateTimeResolver, EmailAddressResolver, JSONObjectResolver, LocalDateResolver, UUIDResolver } from 'graphql-scalars';
import type { Role } from '../auth/viewer';
import { viewerHasRole } from '../auth/roles';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../shared/errors';
import type { GraphQLContext } from './context';

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The one SchemaBuilder. It defines no types: modules do, next to their services. */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  AuthScopes: {
    authenticated: boolean;
    /** The viewer holds at least `role` in `organizationId`. */
    orgRole: { organizationId: string; role: Role };
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    Date: { Input: string; Output: string };
    EmailAddress: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    UUID: { Input: string; Output: string };
  };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [ScopeAuthPlugin, ErrorsPlugin, ValidationPlugin, RelayPlugin, DataloaderPlugin],
  scopeAuth: {
    // A subscription's root field is authorized once, when it starts (its stream then follows access itself), not per event.
    authorizeOnSubscribe: true,
    authScopes: (context) => ({
      authenticated: context.viewer !== null,
      orgRole: ({ organizationId, role }) => viewerHasRole(context.viewer, organizationId, role),
    }),
    unauthorizedError: (_parent, context) =>
      context.viewer ? new ForbiddenError() : new UnauthenticatedError(),
  },
  errors: {
    // Mutations do their authorization in services, so returning input issues first reveals nothing.
    unsafelyHandleInputErrors: true,
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
  },
  validation: {
    validationError: (result) =>
      new ValidationError(
        result.issues.map((issue) => ({
          path: (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)),
          message: issue.message,
        })),
      ),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
});

builder.addScalarType('DateTime', DateTimeResolver);
builder.addScalarType('Date', LocalDateResolver);
builder.addScalarType('EmailAddress', EmailAddressResolver);
builder.addScalarType('JSONObject', JSONObjectResolver);
builder.addScalarType('UUID', UUIDResolver);

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
