import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createAccessTokenSigner } from '../../../src/auth/access-tokens';
import { createTeam, createUser, globalId } from '../../support/factories';
import { startTestApp, testConfig, type TestApp } from '../../support/harness';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let projectId: string;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  const created = await t.graphql(
    `mutation($input: CreateProjectInput!) { createProject(input: $input) { ... on CreateProjectSuccess { project { id } } } }`,
    { token: team.owner.token, variables: { input: { organizationId: team.org.globalId, name: 'Secret plans' } } },
  );
  projectId = created.data.createProject.project.id;
});
afterAll(() => t?.close());

const countProjects = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from projects`);
  return row!.n;
};

const READ = /* GraphQL */ `
  query($project: ID!, $org: ID!) {
    viewer { user { id } }
    project: node(id: $project) { id ... on Project { name } }
    organization: node(id: $org) { id ... on Organization { name } }
  }
`;

/** Credentials that must all count as no credentials at all. */
const invalidTokens = async () => {
  const expired = await createAccessTokenSigner(testConfig.auth.jwtSecret, -60).sign({ userId: team.owner.id, sessionId: team.owner.sessionId });
  const foreign = await createAccessTokenSigner('another-secret-that-is-long-enough-to-sign', 900).sign({
    userId: team.owner.id,
    sessionId: team.owner.sessionId,
  });
  return { none: undefined, garbage: 'not.a.token', expired: expired.token, signedElsewhere: foreign.token, unknownApiToken: 'tgp_x' };
};

describe('a request without valid credentials', () => {
  it.each(['none', 'garbage', 'expired', 'signedElsewhere', 'unknownApiToken'] as const)('(%s) sees no viewer and no data', async (kind) => {
    const token = (await invalidTokens())[kind];
    const res = await t.graphql(READ, { token, variables: { project: projectId, org: team.org.globalId } });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ viewer: null, project: null, organization: null });
  });

  it('gets a typed UnauthenticatedError from a mutation and writes nothing', async () => {
    const before = await countProjects();
    const res = await t.graphql(
      `mutation($input: CreateProjectInput!) { createProject(input: $input) { __typename ... on Error { message code } } }`,
      { variables: { input: { organizationId: team.org.globalId, name: 'Anonymous project' } } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.createProject).toEqual({ __typename: 'UnauthenticatedError', message: 'Authentication required', code: 'UNAUTHENTICATED' });
    expect(await countProjects()).toBe(before);
  });

  it('sees the same data with a valid token, so the checks above are not vacuous', async () => {
    const res = await t.graphql(READ, { token: team.owner.token, variables: { project: projectId, org: team.org.globalId } });
    expect(res.data.viewer.user.id).toBe(globalId('User', team.owner.id));
    expect(res.data.project.name).toBe('Secret plans');
    expect(res.data.organization.id).toBe(team.org.globalId);
  });

  it('is what a deleted user’s access token becomes', async () => {
    const gone = await createUser(t);
    expect((await t.graphql(`{ viewer { user { id } } }`, { token: gone.token })).data.viewer).not.toBeNull();
    await t.owner.db.execute(sql`update users set deleted_at = now() where id = ${gone.id}`);
    expect((await t.graphql(`{ viewer { user { id } } }`, { token: gone.token })).data.viewer).toBeNull();
  });
});
