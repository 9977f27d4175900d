import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labels } from '../../src/db/schema/index';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { createProjectRow, createTaskRows } from '../support/task-fixtures';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let projectGlobalId: string;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  const project = await createProjectRow(t, team.org.id, team.admin.id);
  await createTaskRows(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id, assigneeId: team.member.id }, 12);
  projectGlobalId = Buffer.from(`Project:${project.id}`).toString('base64');
});
afterAll(() => t?.close());

const PROJECT_PAGE = /* GraphQL */ `
  query ($id: ID!) {
    viewer { user { name } }
    node(id: $id) { ... on Project { name tasks(first: 50) { edges { node { title assignee { name } labels { name } subtaskCount } } } } }
  }
`;

const CREATE_TWO_LABELS = /* GraphQL */ `
  mutation ($org: ID!, $first: String!, $second: String!) {
    first: createLabel(input: { organizationId: $org, name: $first }) { __typename ... on Error { message } }
    second: createLabel(input: { organizationId: $org, name: $second }) { __typename ... on Error { message } }
  }
`;

const count = (statements: readonly string[], pattern: RegExp) => statements.filter((statement) => pattern.test(statement.trim())).length;

async function labelNames(): Promise<string[]> {
  const rows = await t.owner.db.select({ name: labels.name }).from(labels).where(and(eq(labels.organizationId, team.org.id)));
  return rows.map((row) => row.name).sort();
}

describe('the request transaction', () => {
  it('runs a whole query in one transaction: viewer, tenant scope and every batch', async () => {
    t.resetQueryCount();
    const reply = await t.graphql(PROJECT_PAGE, { variables: { id: projectGlobalId }, token: team.member.token });
    expect(reply.errors).toBeUndefined();
    expect(reply.data.node.tasks.edges).toHaveLength(12);
    const sent = t.queries();
    expect(count(sent, /^begin/i)).toBe(1);
    expect(count(sent, /^commit/i)).toBe(1);
    // Once as the bare user (to read the session and memberships), once scoped to their organizations.
    expect(count(sent, /set_config\('app\.organization_ids'/)).toBe(2);
    expect(count(sent, /^savepoint/i)).toBe(0);
  });

  it('opens no transaction for an operation that reads nothing', async () => {
    t.resetQueryCount();
    const reply = await t.graphql('{ __typename }');
    expect(reply.data).toEqual({ __typename: 'Query' });
    expect(t.queries()).toEqual([]);
  });

  it('runs each mutation of a document in a savepoint: a failed one writes nothing, the others commit', async () => {
    const taken = `taken-${Date.now()}`;
    await t.graphql(CREATE_TWO_LABELS, { variables: { org: team.org.globalId, first: taken, second: `${taken}-b` }, token: team.admin.token });
    const before = await labelNames();

    t.resetQueryCount();
    const fresh = `fresh-${Date.now()}`;
    const reply = await t.graphql(CREATE_TWO_LABELS, { variables: { org: team.org.globalId, first: fresh, second: taken }, token: team.admin.token });

    expect(reply.errors).toBeUndefined();
    expect(reply.data.first.__typename).toBe('CreateLabelSuccess');
    expect(reply.data.second.__typename).toBe('ValidationError'); // the name is taken
    // The second insert failed inside Postgres, yet the first survived its rollback.
    expect(await labelNames()).toEqual([...before, fresh].sort());
    const sent = t.queries();
    expect(count(sent, /^begin/i)).toBe(1);
    expect(count(sent, /^savepoint/i)).toBe(2);
    expect(count(sent, /^rollback to/i)).toBe(1);
    expect(count(sent, /^commit/i)).toBe(1);
  });

  it('has committed a mutation by the time its response arrives', async () => {
    const name = `visible-${Date.now()}`;
    const reply = await t.graphql(CREATE_TWO_LABELS, { variables: { org: team.org.globalId, first: name, second: `${name}-2` }, token: team.admin.token });
    expect(reply.data.second.__typename).toBe('CreateLabelSuccess');
    // Another connection (the owner's) sees both at once: nothing is left to commit after the response.
    expect(await labelNames()).toEqual(expect.arrayContaining([name, `${name}-2`]));
  });

  it('never deadlocks the pool: many more concurrent requests than connections all complete', async () => {
    // The test app's pool has 4 connections; each request holds at most one of them.
    const requests = Array.from({ length: 24 }, (_, i) =>
      i % 3 === 0
        ? t.graphql(CREATE_TWO_LABELS, {
            variables: { org: team.org.globalId, first: `burst-${i}-a-${Date.now()}`, second: `burst-${i}-b-${Date.now()}` },
            token: team.admin.token,
          })
        : t.graphql(PROJECT_PAGE, { variables: { id: projectGlobalId }, token: team.member.token }),
    );
    const replies = await Promise.all(requests);
    expect(replies.every((reply) => reply.errors === undefined)).toBe(true);
    expect(replies.filter((_, i) => i % 3 !== 0).every((reply) => reply.data.node.tasks.edges.length === 12)).toBe(true);
    expect(replies.filter((_, i) => i % 3 === 0).every((reply) => reply.data.first.__typename === 'CreateLabelSuccess')).toBe(true);
  });
});
