import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { hashOpaqueToken } from '../../../src/auth/secrets';
import { sessions, users } from '../../../src/db/schema/index';
import { uniqueSuffix } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { LOG_IN, LOG_OUT, LOG_OUT_EVERYWHERE, PASSWORD, REFRESH, SIGN_UP, VIEWER, signUpThroughApi } from './operations';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const countUsers = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from users`);
  return row!.n;
};
const sessionIdOf = (accessToken: string) => decodeJwt(accessToken).sid as string;
const sessionRow = async (id: string) => (await t.owner.db.select().from(sessions).where(eq(sessions.id, id)))[0]!;
const viewerOf = async (token: string) => (await t.graphql(VIEWER, { token })).data.viewer;

describe('signUp', () => {
  it('creates the account and a session, and the access token authenticates', async () => {
    const email = `Grace.Hopper-${uniqueSuffix()}@Example.com`;
    const res = await t.graphql(SIGN_UP, { variables: { input: { email, name: '  Grace Hopper  ', password: PASSWORD } } });
    expect(res.errors).toBeUndefined();
    const payload = res.data.signUp;
    expect(payload.__typename).toBe('AuthPayload');
    expect(payload.user).toMatchObject({ email, name: 'Grace Hopper' });
    expect(payload.refreshToken).toMatch(/^tgr_/);
    expect(new Date(payload.accessTokenExpiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(new Date(payload.refreshTokenExpiresAt).getTime()).toBeGreaterThan(Date.now() + 86_400_000);

    const userId = Buffer.from(payload.user.id, 'base64').toString().split(':')[1]!;
    const [stored] = await t.owner.db.select().from(users).where(eq(users.id, userId));
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.toContain(PASSWORD);

    // Only the refresh token's hash is stored.
    const session = await sessionRow(sessionIdOf(payload.accessToken));
    expect(session.userId).toBe(userId);
    expect(session.refreshTokenHash).toBe(hashOpaqueToken(payload.refreshToken));
    expect(session.revokedAt).toBeNull();

    expect(await viewerOf(payload.accessToken)).toMatchObject({ user: { id: payload.user.id, email } });
  });

  it('records the client user agent on the session', async () => {
    const email = `ua-${uniqueSuffix()}@example.com`;
    const response = await t.app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'TaskgraphTests/1.0' },
      body: JSON.stringify({ query: SIGN_UP, variables: { input: { email, name: 'Agent', password: PASSWORD } } }),
    });
    const res = (await response.json()) as { data: { signUp: { accessToken: string } } };
    expect((await sessionRow(sessionIdOf(res.data.signUp.accessToken))).userAgent).toBe('TaskgraphTests/1.0');
  });

  it('refuses an email already registered in any letter case, on input.email, writing nothing', async () => {
    const first = await signUpThroughApi(t);
    const before = await countUsers();
    const res = await t.graphql(SIGN_UP, {
      variables: { input: { email: first.email.toUpperCase(), name: 'Copycat', password: PASSWORD } },
    });
    expect(res.data.signUp.__typename).toBe('ValidationError');
    expect(res.data.signUp.issues).toEqual([{ path: ['input', 'email'], message: 'is already registered' }]);
    expect(await countUsers()).toBe(before);
  });

  it('lets only one of two simultaneous sign-ups with the same email through', async () => {
    const email = `race-${uniqueSuffix()}@example.com`;
    const [a, b] = await Promise.all(
      ['Ab', 'aB'].map((name) =>
        t.graphql(SIGN_UP, { variables: { input: { email: name === 'Ab' ? email : email.toUpperCase(), name, password: PASSWORD } } }),
      ),
    );
    expect([a!.data.signUp.__typename, b!.data.signUp.__typename].sort()).toEqual(['AuthPayload', 'ValidationError']);
    const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from users where lower(email) = lower(${email})`);
    expect(row!.n).toBe(1);
  });

  it.each([
    ['a password under 10 characters', { password: 'short' }, ['input', 'password']],
    ['a password over 200 characters', { password: 'x'.repeat(201) }, ['input', 'password']],
    ['a blank name', { name: '   ' }, ['input', 'name']],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, ['input', 'name']],
  ])('refuses %s with a ValidationError on that field', async (_case, override, path) => {
    const before = await countUsers();
    const input = { email: `bad-${uniqueSuffix()}@example.com`, name: 'Valid Name', password: PASSWORD, ...override };
    const res = await t.graphql(SIGN_UP, { variables: { input } });
    expect(res.data.signUp.__typename).toBe('ValidationError');
    expect(res.data.signUp.issues.map((i: { path: string[] }) => i.path)).toContainEqual(path);
    expect(await countUsers()).toBe(before);
  });

  it('accepts a password of exactly 10 characters', async () => {
    const res = await t.graphql(SIGN_UP, {
      variables: { input: { email: `ten-${uniqueSuffix()}@example.com`, name: 'Ten', password: '0123456789' } },
    });
    expect(res.data.signUp.__typename).toBe('AuthPayload');
  });

  it('rejects a malformed email before running anything', async () => {
    const before = await countUsers();
    const inline = await t.graphql(`mutation { signUp(input: { email: "not-an-email", name: "X", password: "${PASSWORD}" }) { __typename } }`);
    expect(inline.errors?.[0]?.message).toMatch(/not a valid email/i);
    // As a variable it is refused too (src/app.ts currently masks that message as an internal error: reported to the lead).
    const res = await t.graphql(SIGN_UP, { variables: { input: { email: 'not-an-email', name: 'X', password: PASSWORD } } });
    expect(res.errors).toHaveLength(1);
    expect(res.data?.signUp).toBeUndefined();
    expect(await countUsers()).toBe(before);
  });
});

describe('logIn', () => {
  it('opens a new session for the right password, with the email in any case', async () => {
    const account = await signUpThroughApi(t);
    const res = await t.graphql(LOG_IN, { variables: { input: { email: account.email.toUpperCase(), password: PASSWORD } } });
    expect(res.data.logIn.__typename).toBe('AuthPayload');
    expect(res.data.logIn.user.id).toBe(account.user.id);
    expect(sessionIdOf(res.data.logIn.accessToken)).not.toBe(sessionIdOf(account.accessToken));
    expect(await viewerOf(res.data.logIn.accessToken)).toMatchObject({ user: { id: account.user.id } });
  });

  it('answers a wrong password and an unknown email with the very same error', async () => {
    const account = await signUpThroughApi(t);
    const [before] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions`);
    const wrongPassword = await t.graphql(LOG_IN, { variables: { input: { email: account.email, password: 'not the password' } } });
    const unknownEmail = await t.graphql(LOG_IN, { variables: { input: { email: `nobody-${uniqueSuffix()}@example.com`, password: PASSWORD } } });
    expect(wrongPassword.data.logIn).toEqual({
      __typename: 'UnauthenticatedError',
      code: 'UNAUTHENTICATED',
      message: 'The email or password is incorrect',
    });
    expect(unknownEmail.data.logIn).toEqual(wrongPassword.data.logIn);
    const [after] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions`);
    expect(after!.n).toBe(before!.n);
  });

  it('refuses a deleted account with the same error', async () => {
    const account = await signUpThroughApi(t);
    await t.owner.db.execute(sql`update users set deleted_at = now() where email = ${account.email}`);
    const res = await t.graphql(LOG_IN, { variables: { input: { email: account.email, password: PASSWORD } } });
    expect(res.data.logIn.message).toBe('The email or password is incorrect');
  });
});

describe('refreshSession', () => {
  it('returns new tokens for the same session and retires the old refresh token', async () => {
    const account = await signUpThroughApi(t);
    const sessionId = sessionIdOf(account.accessToken);
    const first = await t.graphql(REFRESH, { variables: { token: account.refreshToken } });
    expect(first.data.refreshSession.__typename).toBe('AuthPayload');
    const refreshed = first.data.refreshSession;
    expect(refreshed.refreshToken).not.toBe(account.refreshToken);
    expect(sessionIdOf(refreshed.accessToken)).toBe(sessionId);
    expect(refreshed.user.id).toBe(account.user.id);
    const session = await sessionRow(sessionId);
    expect(session.refreshTokenHash).toBe(hashOpaqueToken(refreshed.refreshToken));
    expect(session.lastUsedAt).not.toBeNull();

    // The successor works in turn.
    const second = await t.graphql(REFRESH, { variables: { token: refreshed.refreshToken } });
    expect(second.data.refreshSession.__typename).toBe('AuthPayload');
  });

  it('treats a replayed (already rotated) refresh token as theft: refused, and the whole session is revoked', async () => {
    const account = await signUpThroughApi(t);
    const rotated = (await t.graphql(REFRESH, { variables: { token: account.refreshToken } })).data.refreshSession;
    expect(await viewerOf(rotated.accessToken)).not.toBeNull();

    const replay = await t.graphql(REFRESH, { variables: { token: account.refreshToken } });
    expect(replay.data.refreshSession.__typename).toBe('UnauthenticatedError');

    expect((await sessionRow(sessionIdOf(account.accessToken))).revokedAt).not.toBeNull();
    const successor = await t.graphql(REFRESH, { variables: { token: rotated.refreshToken } });
    expect(successor.data.refreshSession.__typename).toBe('UnauthenticatedError');
    expect(await viewerOf(rotated.accessToken)).toBeNull();
  });

  it('lets only one of two simultaneous refreshes with the same token win', async () => {
    const account = await signUpThroughApi(t);
    const results = await Promise.all([1, 2].map(() => t.graphql(REFRESH, { variables: { token: account.refreshToken } })));
    const kinds = results.map((r) => r.data.refreshSession.__typename);
    expect(kinds.sort()).toEqual(['AuthPayload', 'UnauthenticatedError']);
    // The loser replayed a rotated token: the session ends, which is the safe side of a race.
    expect((await sessionRow(sessionIdOf(account.accessToken))).revokedAt).not.toBeNull();
  });

  it('refuses an expired refresh token', async () => {
    const account = await signUpThroughApi(t);
    await t.owner.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sessionIdOf(account.accessToken)));
    const res = await t.graphql(REFRESH, { variables: { token: account.refreshToken } });
    expect(res.data.refreshSession.__typename).toBe('UnauthenticatedError');
  });

  it('refuses the refresh token of a logged-out session', async () => {
    const account = await signUpThroughApi(t);
    await t.graphql(LOG_OUT, { token: account.accessToken });
    const res = await t.graphql(REFRESH, { variables: { token: account.refreshToken } });
    expect(res.data.refreshSession.__typename).toBe('UnauthenticatedError');
  });

  it('refuses unknown and forged tokens without touching the session they name', async () => {
    const account = await signUpThroughApi(t);
    const sessionId = sessionIdOf(account.accessToken);
    for (const token of ['tgr_nonsense', '', 'x'.repeat(5000), `tgr_${sessionId}.bm9uY2U.Zm9yZ2VkLW1hYw`, account.accessToken]) {
      const res = await t.graphql(REFRESH, { variables: { token } });
      expect(res.data.refreshSession.__typename).toBe('UnauthenticatedError');
    }
    // A token carrying the session id but not signed by the server revokes nothing.
    expect((await sessionRow(sessionId)).revokedAt).toBeNull();
    expect((await t.graphql(REFRESH, { variables: { token: account.refreshToken } })).data.refreshSession.__typename).toBe('AuthPayload');
  });
});

describe('logOut and logOutEverywhere', () => {
  it('logOut revokes the current session and its access token stops working at once', async () => {
    const account = await signUpThroughApi(t);
    const other = (await t.graphql(LOG_IN, { variables: { input: { email: account.email, password: PASSWORD } } })).data.logIn;
    expect(await viewerOf(account.accessToken)).not.toBeNull();

    const res = await t.graphql(LOG_OUT, { token: account.accessToken });
    expect(res.data.logOut).toEqual({ __typename: 'LogOutSuccess', loggedOut: true });
    expect(await viewerOf(account.accessToken)).toBeNull();
    expect((await sessionRow(sessionIdOf(account.accessToken))).revokedAt).not.toBeNull();

    // Another device's session is untouched.
    expect(await viewerOf(other.accessToken)).not.toBeNull();
  });

  it('logOutEverywhere revokes every session of the viewer, and only theirs', async () => {
    const account = await signUpThroughApi(t);
    const bystander = await signUpThroughApi(t);
    const logins = [];
    for (let i = 0; i < 2; i++) {
      logins.push((await t.graphql(LOG_IN, { variables: { input: { email: account.email, password: PASSWORD } } })).data.logIn);
    }
    const res = await t.graphql(LOG_OUT_EVERYWHERE, { token: logins[0].accessToken });
    expect(res.data.logOutEverywhere).toEqual({ __typename: 'LogOutEverywhereSuccess', revokedSessionCount: 3 });
    for (const tokens of [account, ...logins]) {
      expect(await viewerOf(tokens.accessToken)).toBeNull();
      expect((await t.graphql(REFRESH, { variables: { token: tokens.refreshToken } })).data.refreshSession.__typename).toBe(
        'UnauthenticatedError',
      );
    }
    expect(await viewerOf(bystander.accessToken)).not.toBeNull();
  });

  it('both need a viewer', async () => {
    expect((await t.graphql(LOG_OUT)).data.logOut.__typename).toBe('UnauthenticatedError');
    expect((await t.graphql(LOG_OUT_EVERYWHERE)).data.logOutEverywhere.__typename).toBe('UnauthenticatedError');
  });
});

describe('what the API shows', () => {
  it('has no field that could carry a password hash or token hash', async () => {
    const res = await t.graphql(/* GraphQL */ `
      {
        user: __type(name: "User") { fields { name } }
        apiToken: __type(name: "ApiToken") { fields { name } }
      }
    `);
    const names = [...res.data.user.fields, ...res.data.apiToken.fields].map((f: { name: string }) => f.name.toLowerCase());
    expect(names.some((n: string) => n.includes('password') || n.includes('hash'))).toBe(false);
  });

});
