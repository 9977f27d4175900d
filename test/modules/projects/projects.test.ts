import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProjectInput!) {
    createProject(input: $input) {
      __typename
      ... on CreateProjectSuccess { project { id name status viewerCan { update createTask } } }
      ... on Error { message code }
      ... on ValidationError { issues { path message } }
      ... on LimitExceededError { limit max }
    }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

const countProjects = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from projects`);
  return row!.n;
};

describe('createProject', () => {
  it('lets an admin create a project and reports what they may do with it', async () => {
    const res = await t.graphql(CREATE, { token: team.admin.token, variables: { input: { organizationId: team.org.globalId, name: 'Launch' } } });
    expect(res.errors).toBeUndefined();
    expect(res.data.createProject.__typename).toBe('CreateProjectSuccess');
    expect(res.data.createProject.project).toMatchObject({ name: 'Launch', status: 'ACTIVE', viewerCan: { update: true, createTask: true } });
  });

  it('refuses a member with a Forbidden error and writes nothing', async () => {
    const before = await countProjects();
    const res = await t.graphql(CREATE, { token: team.member.token, variables: { input: { organizationId: team.org.globalId, name: 'Nope' } } });
    expect(res.data.createProject).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await countProjects()).toBe(before);
  });

  it('answers NotFound for an organization the viewer does not belong to', async () => {
    const res = await t.graphql(CREATE, { token: team.outsider.token, variables: { input: { organizationId: team.org.globalId, name: 'Sneaky' } } });
    expect(res.data.createProject.__typename).toBe('NotFoundError');
  });

  it('names the field when the input is invalid', async () => {
    const res = await t.graphql(CREATE, { token: team.admin.token, variables: { input: { organizationId: team.org.globalId, name: '   ' } } });
    expect(res.data.createProject.__typename).toBe('ValidationError');
    expect(res.data.createProject.issues[0].path).toContain('name');
  });

  it('returns the same project when a create is retried with the same client id', async () => {
    const id = '0190f5d2-1111-7000-8000-000000000001';
    const input = { organizationId: team.org.globalId, name: 'Retry', id };
    const first = await t.graphql(CREATE, { token: team.admin.token, variables: { input } });
    const second = await t.graphql(CREATE, { token: team.admin.token, variables: { input } });
    expect(first.data.createProject.project.id).toBe(globalId('Project', id));
    expect(second.data.createProject.project.id).toBe(first.data.createProject.project.id);
    const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from projects where id = ${id}`);
    expect(row!.n).toBe(1);
  });

  it('stops at the plan limit with LimitExceeded', async () => {
    const small = await createTeam(t, { planId: 'free' });
    const results = [];
    for (let i = 0; i < 11; i++) {
      const res = await t.graphql(CREATE, { token: small.owner.token, variables: { input: { organizationId: small.org.globalId, name: `P${i}` } } });
      results.push(res.data.createProject.__typename);
    }
    expect(results.slice(0, 10).every((r) => r === 'CreateProjectSuccess')).toBe(true);
    expect(results[10]).toBe('LimitExceededError');
  });
});

describe('Organization.projects', () => {
  it('pages through every project exactly once, in creation order', async () => {
    const fresh = await createTeam(t);
    const names = ['A', 'B', 'C', 'D', 'E'];
    for (const name of names) {
      await t.graphql(CREATE, { token: fresh.admin.token, variables: { input: { organizationId: fresh.org.globalId, name } } });
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 10; guard++) {
      const res: any = await t.graphql(
        `query($id: ID!, $after: String) { node(id: $id) { ... on Organization { projects(first: 2, after: $after) {
           edges { node { name } } pageInfo { hasNextPage endCursor } } } } }`,
        { token: fresh.viewer.token, variables: { id: fresh.org.globalId, after } },
      );
      const connection = res.data.node.projects;
      seen.push(...connection.edges.map((e: any) => e.node.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(names);
  });
});
