import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('HTTP transport', () => {
  it('echoes the client request id, and makes one up when none is sent', async () => {
    const given = await post({ query: '{ __typename }' }, { 'x-request-id': 'trace-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-123');
    const made = await post({ query: '{ __typename }' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns a domain error in a query into a coded GraphQL error without internals', async () => {
    const res = await t.graphql(
      `query($id: ID!) { node(id: $id) { ... on Organization { projects(after: "not-a-cursor") { edges { cursor } } } } }`,
      { token: team.member.token, variables: { id: team.org.globalId } },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/after/);
    expect(JSON.stringify(res.errors)).not.toMatch(/stack|\.ts:\d+/);
  });

  it('caps page size at 100', async () => {
    const res = await t.graphql(
      `query($id: ID!) { node(id: $id) { ... on Organization { projects(first: 101) { edges { cursor } } } } }`,
      { token: team.member.token, variables: { id: team.org.globalId } },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toMatch(/first/);
  });

  it('refuses queries nested too deep (or too costly) before executing them', async () => {
    const deep = `{ node(id: "x") { ${'... on Organization { projects { edges { node { organization { '.repeat(4)}id${' } } } } }'.repeat(4)} } }`;
    const res = await t.graphql(deep, { token: team.member.token });
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.message).toMatch(/depth|cost/i);
  });

  it('hides another organization from node(): null, not an error that reveals it exists', async () => {
    const res = await t.graphql(`query($id: ID!) { node(id: $id) { id } }`, { token: team.outsider.token, variables: { id: team.org.globalId } });
    expect(res.errors).toBeUndefined();
    expect(res.data.node).toBeNull();
  });
});

describe('malformed ids', () => {
  it('are a coded validation error, not an internal one', async () => {
    const wrongType = Buffer.from(`Organization:${team.org.id}`).toString('base64');
    const res = await t.graphql(`mutation($id: ID!) { deleteProject(id: $id) { __typename ... on Error { code } } }`, {
      token: team.admin.token,
      variables: { id: wrongType },
    });
    const outcome = res.data?.deleteProject?.code ?? res.errors?.[0]?.extensions?.code;
    expect(outcome).toBe('VALIDATION_FAILED');
    const garbage = await t.graphql(`query { node(id: "%%%") { id } }`, { token: team.admin.token });
    expect(garbage.errors?.[0]?.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
  });
});
