import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { hashOpaqueToken } from '../../../src/auth/secrets';
import { apiTokens } from '../../../src/db/schema/index';
import { createUser, globalId, type TestUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreatedApiToken { token apiToken { id name displayPrefix createdAt lastUsedAt expiresAt revokedAt } }
      ... on Error { message code }
      ... on ValidationError { issues { path message } }
    }
  }
`;
const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeApiToken(id: $id) {
      __typename
      ... on RevokeApiTokenSuccess { apiToken { id revokedAt } }
      ... on Error { message code }
      ... on ValidationError { issues { path message } }
    }
  }
`;
const VIEWER = /* GraphQL */ `{ viewer { user { id } apiTokens { id name displayPrefix lastUsedAt expiresAt } } }`;

let t: TestApp;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  t = await startTestApp();
  alice = await createUser(t);
  bob = await createUser(t);
});
afterAll(() => t?.close());

const countTokens = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from api_tokens`);
  return row!.n;
};
const rowIdOf = (id: string) => Buffer.from(id, 'base64').toString().split(':')[1]!;

async function createToken(user: TestUser, input: Record<string, unknown> = { name: 'CI' }) {
  const res = await t.graphql(CREATE, { token: user.token, variables: { input } });
  expect(res.data.createApiToken.__typename).toBe('CreatedApiToken');
  return res.data.createApiToken as { token: string; apiToken: { id: string; name: string; displayPrefix: string; expiresAt: string | null } };
}

describe('createApiToken', () => {
  it('shows the token once and stores only its hash', async () => {
    const created = await createToken(alice, { name: '  Deploy script ' });
    expect(created.token).toMatch(/^tgp_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).toMatchObject({ name: 'Deploy script', displayPrefix: created.token.slice(0, 10), expiresAt: null, revokedAt: null, lastUsedAt: null });

    const [row] = await t.owner.db.select().from(apiTokens).where(eq(apiTokens.id, rowIdOf(created.apiToken.id)));
    expect(row!.userId).toBe(alice.id);
    expect(row!.tokenHash).toBe(hashOpaqueToken(created.token));
    expect(Object.values(row!).map(String)).not.toContain(created.token);
  });

  it('sets an expiry when asked', async () => {
    const created = await createToken(alice, { name: 'Week', expiresInDays: 7 });
    const expiresIn = new Date(created.apiToken.expiresAt!).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86_400_000);
  });

  it.each([
    [{ name: '   ' }, ['input', 'name']],
    [{ name: 'n'.repeat(101) }, ['input', 'name']],
    [{ name: 'Zero', expiresInDays: 0 }, ['input', 'expiresInDays']],
    [{ name: 'Long', expiresInDays: 366 }, ['input', 'expiresInDays']],
  ])('refuses %j with a ValidationError and writes nothing', async (input, path) => {
    const before = await countTokens();
    const res = await t.graphql(CREATE, { token: alice.token, variables: { input } });
    expect(res.data.createApiToken.__typename).toBe('ValidationError');
    expect(res.data.createApiToken.issues.map((i: { path: string[] }) => i.path)).toContainEqual(path);
    expect(await countTokens()).toBe(before);
  });

  it('cannot be done with an API token, only from a logged-in session', async () => {
    const { token } = await createToken(alice);
    const before = await countTokens();
    const res = await t.graphql(CREATE, { token, variables: { input: { name: 'Copy' } } });
    expect(res.data.createApiToken).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await countTokens()).toBe(before);
  });

  it('needs a viewer', async () => {
    const before = await countTokens();
    const res = await t.graphql(CREATE, { variables: { input: { name: 'Anon' } } });
    expect(res.data.createApiToken.__typename).toBe('UnauthenticatedError');
    expect(await countTokens()).toBe(before);
  });
});

describe('authenticating with an API token', () => {
  it('acts as its owner and records when it was used', async () => {
    const created = await createToken(alice, { name: 'Script' });
    const res = await t.graphql(VIEWER, { token: created.token });
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer.user.id).toBe(globalId('User', alice.id));
    const listed = res.data.viewer.apiTokens.find((token: { id: string }) => token.id === created.apiToken.id);
    expect(listed.lastUsedAt).not.toBeNull();
  });

  it('stops at its expiry', async () => {
    const created = await createToken(alice, { name: 'Short', expiresInDays: 1 });
    expect((await t.graphql(VIEWER, { token: created.token })).data.viewer).not.toBeNull();
    await t.owner.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, rowIdOf(created.apiToken.id)));
    expect((await t.graphql(VIEWER, { token: created.token })).data.viewer).toBeNull();
  });

  it('stops when its owner is deleted', async () => {
    const carol = await createUser(t);
    const created = await createToken(carol);
    await t.owner.db.execute(sql`update users set deleted_at = now() where id = ${carol.id}`);
    expect((await t.graphql(VIEWER, { token: created.token })).data.viewer).toBeNull();
  });

  it('refuses a made-up token', async () => {
    const res = await t.graphql(VIEWER, { token: 'tgp_thisTokenWasNeverIssued' });
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer).toBeNull();
  });
});

describe('revokeApiToken and viewer.apiTokens', () => {
  it('lists the viewer’s own live tokens, newest first, and nobody else’s', async () => {
    const dave = await createUser(t);
    const first = await createToken(dave, { name: 'First' });
    const second = await createToken(dave, { name: 'Second' });
    await createToken(bob, { name: 'Not yours' });
    const res = await t.graphql(VIEWER, { token: dave.token });
    expect(res.data.viewer.apiTokens.map((token: { id: string }) => token.id)).toEqual([second.apiToken.id, first.apiToken.id]);
  });

  it('revokes a token: it stops authenticating at once and leaves the list', async () => {
    const created = await createToken(alice, { name: 'Doomed' });
    const res = await t.graphql(REVOKE, { token: alice.token, variables: { id: created.apiToken.id } });
    expect(res.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    expect(res.data.revokeApiToken.apiToken.revokedAt).not.toBeNull();

    expect((await t.graphql(VIEWER, { token: created.token })).data.viewer).toBeNull();
    const listed = (await t.graphql(VIEWER, { token: alice.token })).data.viewer.apiTokens;
    expect(listed.map((token: { id: string }) => token.id)).not.toContain(created.apiToken.id);

    // Revoking again is harmless and keeps the first revocation time.
    const again = await t.graphql(REVOKE, { token: alice.token, variables: { id: created.apiToken.id } });
    expect(again.data.revokeApiToken.apiToken.revokedAt).toBe(res.data.revokeApiToken.apiToken.revokedAt);
  });

  it('lets a token revoke itself', async () => {
    const created = await createToken(alice, { name: 'Self' });
    const res = await t.graphql(REVOKE, { token: created.token, variables: { id: created.apiToken.id } });
    expect(res.data.revokeApiToken.__typename).toBe('RevokeApiTokenSuccess');
    expect((await t.graphql(VIEWER, { token: created.token })).data.viewer).toBeNull();
  });

  it('answers NotFound for someone else’s token and leaves it working', async () => {
    const bobs = await createToken(bob, { name: 'Bob’s' });
    const res = await t.graphql(REVOKE, { token: alice.token, variables: { id: bobs.apiToken.id } });
    expect(res.data.revokeApiToken).toMatchObject({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const [row] = await t.owner.db.select().from(apiTokens).where(eq(apiTokens.id, rowIdOf(bobs.apiToken.id)));
    expect(row!.revokedAt).toBeNull();
    expect((await t.graphql(VIEWER, { token: bobs.token })).data.viewer).not.toBeNull();
  });

  it('names the argument when the id is malformed', async () => {
    const res = await t.graphql(REVOKE, { token: alice.token, variables: { id: globalId('ApiToken', 'not-a-uuid') } });
    expect(res.data.revokeApiToken.__typename).toBe('ValidationError');
    expect(res.data.revokeApiToken.issues[0].path).toEqual(['id']);
  });

  it('needs a viewer', async () => {
    const bobs = await createToken(bob, { name: 'Anon target' });
    const res = await t.graphql(REVOKE, { variables: { id: bobs.apiToken.id } });
    expect(res.data.revokeApiToken.__typename).toBe('UnauthenticatedError');
    expect((await t.graphql(VIEWER, { token: bobs.token })).data.viewer).not.toBeNull();
  });

  it('resolves a token as a node only for its owner', async () => {
    const created = await createToken(bob, { name: 'Node' });
    const query = `query($id: ID!) { node(id: $id) { id ... on ApiToken { name } } }`;
    const own = await t.graphql(query, { token: bob.token, variables: { id: created.apiToken.id } });
    expect(own.data.node).toEqual({ id: created.apiToken.id, name: 'Node' });
    const other = await t.graphql(query, { token: alice.token, variables: { id: created.apiToken.id } });
    expect(other.data.node).toBeNull();
    const anonymous = await t.graphql(query, { variables: { id: created.apiToken.id } });
    expect(anonymous.data.node).toBeNull();
  });
});
