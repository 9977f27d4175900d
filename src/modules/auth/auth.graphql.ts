import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { User } from '../users/user.graphql';
import './api-token.graphql';
import {
  emailAddress,
  givenPassword,
  logIn,
  logOut,
  logOutEverywhere,
  newPassword,
  refreshSession,
  signUp,
  userName,
  type AuthPayload,
} from './auth.service';

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  description: 'A new session: send the access token as `Authorization: Bearer ...`; trade the refresh token for new tokens before it expires.',
  fields: (t) => ({
    accessToken: t.exposeString('accessToken'),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshToken: t.exposeString('refreshToken', { description: 'Works once: refreshSession returns its successor.' }),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
    // The object itself, not an id: the caller may not be authenticated yet, so the User loader would see nothing.
    user: t.field({ type: User, resolve: (payload) => payload.user }),
  }),
});

const SignUpInput = builder.inputType('SignUpInput', {
  fields: (t) => ({
    email: t.field({ type: 'EmailAddress', required: true, validate: emailAddress }),
    name: t.string({ required: true, validate: userName }),
    password: t.string({ required: true, validate: newPassword, description: '10 to 200 characters.' }),
  }),
});

const LogInInput = builder.inputType('LogInInput', {
  fields: (t) => ({
    email: t.field({ type: 'EmailAddress', required: true, validate: emailAddress }),
    password: t.string({ required: true, validate: givenPassword }),
  }),
});

builder.mutationFields((t) => ({
  signUp: t.field({
    type: AuthPayloadRef,
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: SignUpInput, required: true }) },
    resolve: (_root, { input }, ctx) => signUp(ctx, input),
  }),
  logIn: t.field({
    type: AuthPayloadRef,
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: LogInInput, required: true }) },
    resolve: (_root, { input }, ctx) => logIn(ctx, input),
  }),
  refreshSession: t.field({
    type: AuthPayloadRef,
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { refreshToken: t.arg.string({ required: true }) },
    resolve: (_root, { refreshToken }, ctx) => refreshSession(ctx, refreshToken),
  }),
  logOut: t.field({
    type: 'Boolean',
    description: 'Ends the current session.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'loggedOut' } },
    resolve: (_root, _args, ctx) => logOut(ctx),
  }),
  logOutEverywhere: t.field({
    type: 'Int',
    description: 'Ends every session of the viewer. API tokens keep working: revoke them with revokeApiToken.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'revokedSessionCount' } },
    resolve: (_root, _args, ctx) => logOutEverywhere(ctx),
  }),
}));
