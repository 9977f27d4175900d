import { expect } from 'vitest';
import { uniqueSuffix } from '../../support/factories';
import type { TestApp } from '../../support/harness';

const AUTH_RESULT = /* GraphQL */ `
  __typename
  ... on AuthPayload { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email name } }
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
`;

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) { signUp(input: $input) { ${AUTH_RESULT} } }`;
export const LOG_IN = `mutation LogIn($input: LogInInput!) { logIn(input: $input) { ${AUTH_RESULT} } }`;
export const REFRESH = `mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { ${AUTH_RESULT} } }`;
export const LOG_OUT = /* GraphQL */ `
  mutation { logOut { __typename ... on LogOutSuccess { loggedOut } ... on Error { message code } } }
`;
export const LOG_OUT_EVERYWHERE = /* GraphQL */ `
  mutation { logOutEverywhere { __typename ... on LogOutEverywhereSuccess { revokedSessionCount } ... on Error { message code } } }
`;
export const VIEWER = /* GraphQL */ `{ viewer { user { id email name } } }`;

export const PASSWORD = 'a long enough password';

export type SignedUp = {
  email: string;
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; name: string };
};

/** Signs up through the API and returns the tokens; fails the test if it does not work. */
export async function signUpThroughApi(t: TestApp, overrides: { email?: string; name?: string } = {}): Promise<SignedUp> {
  const email = overrides.email ?? `person-${uniqueSuffix()}@example.com`;
  const res = await t.graphql(SIGN_UP, { variables: { input: { email, name: overrides.name ?? 'Ada Lovelace', password: PASSWORD } } });
  expect(res.errors).toBeUndefined();
  expect(res.data.signUp.__typename).toBe('AuthPayload');
  return { email, ...res.data.signUp };
}
