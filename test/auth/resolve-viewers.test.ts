import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokenSigner } from '../../src/auth/access-tokens';
import { createCredentialRecheck } from '../../src/auth/credential-recheck';
import { hashOpaqueToken } from '../../src/auth/secrets';
import { resolveViewer, resolveViewers, type Viewer } from '../../src/auth/viewer';
import { createDatabase, type DatabaseHandle } from '../../src/db/client';
import { apiTokens, sessions, users } from '../../src/db/schema/index';
import { addMember, createTeam, createUser, type TestUser } from '../support/factories';
import { startTestApp, testConfig, type TestApp } from '../support/harness';

let t: TestApp;
let app: DatabaseHandle;
let statements = 0;
const signer = createAccessTokenSigner(testConfig.auth.jwtSecret, testConfig.auth.accessTokenTtlSeconds);

const CREATE_TOKEN = `mutation ($input: CreateApiTokenInput!) {
  createApiToken(input: $input) { ... on CreatedApiToken { token } }
}`;

let team: Awaited<ReturnType<typeof createTeam>>;
let inTwo: TestUser;
let revoked: TestUser;
let deleted: TestUser;
let apiToken: string;
let revokedApiToken: string;
let expired: string;

async function createApiToken(user: TestUser): Promise<{ token: string }> {
  const res = await t.graphql(CREATE_TOKEN, { token: user.token, variables: { input: { name: 'script' } } });
  return { token: res.data.createApiToken.token };
}

beforeAll(async () => {
  t = await startTestApp();
  // The app role, as the server connects: row-level security applies.
  app = createDatabase(t.appUrl, { max: 2, onQuery: () => statements++ });
  team = await createTeam(t);
  const other = await createTeam(t);
  inTwo = await createUser(t);
  await addMember(t, team.org.id, inTwo, 'member');
  await addMember(t, other.org.id, inTwo, 'viewer');
  revoked = await createUser(t);
  await addMember(t, team.org.id, revoked, 'member');
  await t.owner.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, revoked.sessionId));
  deleted = await createUser(t);
  await addMember(t, team.org.id, deleted, 'member');
  apiToken = (await createApiToken(team.admin)).token;
  const toRevoke = await createApiToken(team.viewer);
  revokedApiToken = toRevoke.token;
  await t.owner.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.tokenHash, hashOpaqueToken(toRevoke.token)));
  await t.owner.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, deleted.id));
  expired = (await createAccessTokenSigner(testConfig.auth.jwtSecret, -60).sign({ userId: team.member.id, sessionId: team.member.sessionId })).token;
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const comparable = (viewer: Viewer | null) =>
  viewer && { userId: viewer.userId, sessionId: viewer.sessionId, apiTokenId: viewer.apiTokenId, roles: Object.fromEntries(viewer.roles) };

describe('resolving many credentials at once', () => {
  it('gives every credential the verdict resolveViewer gives it alone, in order', async () => {
    const bearers = [
      team.member.token,
      inTwo.token,
      revoked.token,
      deleted.token,
      apiToken,
      revokedApiToken,
      expired,
      'not-a-token',
      team.member.token,
    ];
    const together = await resolveViewers(app.db, signer, bearers);
    const alone = await Promise.all(bearers.map((bearer) => resolveViewer(app.db, signer, bearer)));
    expect(together.map(comparable)).toEqual(alone.map(comparable));
    // What the verdicts are, spelled out.
    expect(together.map((viewer) => viewer !== null)).toEqual([true, true, false, false, true, false, false, false, true]);
    expect(comparable(together[1]!)!.roles).toEqual({ [team.org.id]: 'member', [together[1]!.organizationIds.find((id) => id !== team.org.id)!]: 'viewer' });
    expect(together[1]!.organizationIds).toHaveLength(2);
    expect(together[4]).toMatchObject({ userId: team.admin.id, sessionId: null });
    expect(Object.isFrozen(together[0])).toBe(true);
  });

  it('costs the same statements for two credentials as for twenty', async () => {
    const users2 = await Promise.all(Array.from({ length: 20 }, () => createUser(t)));
    await Promise.all(users2.map((user) => addMember(t, team.org.id, user, 'viewer')));
    statements = 0;
    const few = await resolveViewers(app.db, signer, users2.slice(0, 2).map((user) => user.token));
    const forFew = statements;
    statements = 0;
    const many = await resolveViewers(app.db, signer, users2.map((user) => user.token));
    expect(statements).toBe(forFew);
    expect(few.every((viewer) => viewer?.roles.get(team.org.id) === 'viewer')).toBe(true);
    expect(many.map((viewer) => viewer?.userId)).toEqual(users2.map((user) => user.id));
  });

  it('batches the re-checks asked for in one turn into one transaction', async () => {
    const recheck = createCredentialRecheck(app.db, signer);
    statements = 0;
    const [a, b, c] = await Promise.all([recheck(team.member.token), recheck(inTwo.token), recheck(revoked.token)]);
    const forThree = statements;
    statements = 0;
    await recheck(team.member.token);
    expect(forThree).toBe(statements);
    expect([a?.userId, b?.userId, c]).toEqual([team.member.id, inTwo.id, null]);
  });
});
