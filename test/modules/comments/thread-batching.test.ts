import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/db/schema/columns';
import { comments } from '../../../src/db/schema/index';
import { listThreadPages } from '../../../src/modules/comments/comment.repository';
import { addMember, createTeam, createUser, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRows, type ProjectFixture, type TaskFixture } from '../../support/task-fixtures';

/**
 * Task.comments and Project.comments read one page per thread; a screen of
 * many threads must read them all in one statement (per distinct page
 * arguments), not one per thread.
 */

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let otherTeam: Awaited<ReturnType<typeof createTeam>>;

type Order = 'OLDEST_FIRST' | 'NEWEST_FIRST';
/** A seeded comment as the API should show it (body null once deleted). */
type Expected = { id: string; body: string | null; isDeleted: boolean };
type Thread = { parent: { id: string; globalId: string }; oldestFirst: Expected[] };

const THREAD = `edges { cursor node { id body isDeleted } } pageInfo { hasNextPage endCursor }`;
const PROJECT_TASK_THREADS = /* GraphQL */ `
  query ($id: ID!, $order: CommentOrder) {
    node(id: $id) { ... on Project { tasks(first: 100) { edges { node { id comments(first: 2, order: $order) { ${THREAD} } } } } } }
  }
`;
const ORGANIZATION_PROJECT_THREADS = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) { ... on Organization { projects(first: 100) { edges { node { id comments(first: 2) { ${THREAD} } } } } } }
  }
`;
const TASK_THREADS_BY_ID = /* GraphQL */ `
  query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Task { id comments(first: 10) { ${THREAD} } } } }
`;

let clock = Date.now() - 10_000_000;

/**
 * Writes `count(i)` comments on the i-th parent, as the owner. The threads
 * interleave in time (round j of every thread before round j + 1), so a
 * page that mixed threads up would show it. `deleted(i, j)` marks comments deleted.
 */
async function seedThreads(
  organizationId: string,
  authorId: string,
  parents: { id: string; globalId: string }[],
  target: 'taskId' | 'projectId',
  count: (i: number) => number,
  deleted: (i: number, j: number) => boolean = () => false,
): Promise<Thread[]> {
  const rounds = Math.max(0, ...parents.map((_, i) => count(i)));
  const rows: (typeof comments.$inferInsert & { id: string; body: string })[] = [];
  for (let j = 0; j < rounds; j++) {
    parents.forEach((parent, i) => {
      if (j >= count(i)) return;
      clock += 1;
      rows.push({
        id: newId(),
        organizationId,
        [target]: parent.id,
        authorId,
        body: `${parent.id} #${j}`,
        createdAt: new Date(clock),
        deletedAt: deleted(i, j) ? new Date(clock + 1) : null,
      });
    });
  }
  if (rows.length > 0) await t.owner.db.insert(comments).values(rows);
  return parents.map((parent) => ({
    parent,
    oldestFirst: rows
      .filter((row) => row[target] === parent.id)
      .map((row) => ({ id: globalId('Comment', row.id), body: row.deletedAt ? null : row.body, isDeleted: row.deletedAt != null })),
  }));
}

type ProjectFixtureWithThreads = { project: ProjectFixture; tasks: TaskFixture[]; threads: Thread[] };

/** A project of `taskCount` tasks; task i has i % 5 comments (0 to 4), and the second comment of every fourth task is deleted. */
async function projectWithTaskThreads(owner: typeof team, taskCount: number): Promise<ProjectFixtureWithThreads> {
  const project = await createProjectRow(t, owner.org.id, owner.owner.id);
  const tasks = await createTaskRows(t, { organizationId: owner.org.id, projectId: project.id, createdBy: owner.member.id }, taskCount);
  const threads = await seedThreads(
    owner.org.id,
    owner.member.id,
    tasks,
    'taskId',
    (i) => i % 5,
    (i, j) => i % 4 === 3 && j === 1,
  );
  return { project, tasks, threads };
}

type Connection = { edges: { cursor: string; node: Expected }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Statements the request sent, and its response (failing the test on any error). */
async function request(query: string, variables: Record<string, unknown>, token = team.owner.token) {
  t.resetQueryCount();
  const res = await t.graphql(query, { token, variables });
  const statements = t.queryCount();
  const threadStatements = t.queries().filter((text) => /from "comments"/.test(text)).length;
  expect(res.errors).toBeUndefined();
  return { data: res.data, statements, threadStatements };
}

const inOrder = (thread: Thread, order: Order) => (order === 'OLDEST_FIRST' ? thread.oldestFirst : [...thread.oldestFirst].reverse());

/** A page as it must come back: the first `first` comments after `skip`, with the cursor of the last one shown. */
function expectPage(connection: Connection, expected: Expected[], skip: number, first: number) {
  const visible = expected.slice(skip, skip + first);
  expect(connection.edges.map((edge) => edge.node)).toEqual(visible);
  expect(connection.pageInfo.hasNextPage).toBe(expected.length > skip + first);
  expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)?.cursor ?? null);
}

let few: ProjectFixtureWithThreads;
let many: ProjectFixtureWithThreads;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  otherTeam = await createTeam(t);
  few = await projectWithTaskThreads(team, 5);
  many = await projectWithTaskThreads(team, 40);
  // Warm the pool: a new connection sends a few statements of its own (type lookups), which are not the query's.
  await Promise.all(
    [few, many, few, many].map((f) => t.graphql(PROJECT_TASK_THREADS, { token: team.owner.token, variables: { id: f.project.globalId } })),
  );
});
afterAll(() => t?.close());

describe('Task.comments on a list of tasks', () => {
  it('costs as many statements for 40 tasks as for 5, and reads every thread in one statement', async () => {
    const small = await request(PROJECT_TASK_THREADS, { id: few.project.globalId });
    const large = await request(PROJECT_TASK_THREADS, { id: many.project.globalId });
    expect(small.data.node.tasks.edges).toHaveLength(5);
    expect(large.data.node.tasks.edges).toHaveLength(40);
    expect(large.statements).toBe(small.statements);
    expect(large.threadStatements).toBe(1);
    expect(small.threadStatements).toBe(1);
  });

  it.each<Order>(['OLDEST_FIRST', 'NEWEST_FIRST'])('gives each task its own first page, %s, and `after` reads the rest', async (order) => {
    const { data } = await request(PROJECT_TASK_THREADS, { id: many.project.globalId, order });
    const edges: { node: { id: string; comments: Connection } }[] = data.node.tasks.edges;
    expect(edges.map((edge) => edge.node.id)).toEqual(many.tasks.map((task) => task.globalId));
    edges.forEach((edge, i) => expectPage(edge.node.comments, inOrder(many.threads[i]!, order), 0, 2));

    // Second pages, each thread after its own cursor: different arguments, one request.
    const continued = edges.map((edge, i) => ({ i, connection: edge.node.comments })).filter((e) => e.connection.pageInfo.hasNextPage);
    expect(continued.length).toBeGreaterThan(10);
    const aliases = continued.map(
      ({ i, connection }) =>
        `t${i}: node(id: ${JSON.stringify(many.tasks[i]!.globalId)}) { ... on Task { comments(first: 2, order: ${order}, after: ${JSON.stringify(
          connection.pageInfo.endCursor,
        )}) { ${THREAD} } } }`,
    );
    const second = await request(`query { ${aliases.join('\n')} }`, {});
    for (const { i } of continued) {
      const expected = inOrder(many.threads[i]!, order);
      expectPage(second.data[`t${i}`].comments, expected, 2, 2);
      expect(second.data[`t${i}`].comments.pageInfo.hasNextPage).toBe(false);
    }
  });

  it('shows a deleted comment in its place, as deleted', async () => {
    const task = many.threads[3]!;
    expect(task.oldestFirst[1]).toMatchObject({ body: null, isDeleted: true });
    for (const order of ['OLDEST_FIRST', 'NEWEST_FIRST'] as const) {
      const { data } = await request(PROJECT_TASK_THREADS, { id: many.project.globalId, order });
      const connection: Connection = data.node.tasks.edges[3].node.comments;
      const deleted = connection.edges.find((edge) => edge.node.id === task.oldestFirst[1]!.id);
      expect(deleted?.node).toEqual({ id: task.oldestFirst[1]!.id, body: null, isDeleted: true });
    }
  });
});

describe('Project.comments on a list of projects', () => {
  it('costs as many statements for 6 projects as for 2, each with its own project-level thread', async () => {
    const threadsOf = async (count: number) => {
      const owner = await createTeam(t);
      const projects: ProjectFixture[] = [];
      for (let i = 0; i < count; i++) projects.push(await createProjectRow(t, owner.org.id, owner.owner.id));
      // Task comments are not part of a project's thread.
      const [task] = await createTaskRows(t, { organizationId: owner.org.id, projectId: projects[0]!.id, createdBy: owner.member.id }, 1);
      await seedThreads(owner.org.id, owner.member.id, [task!], 'taskId', () => 3);
      const threads = await seedThreads(owner.org.id, owner.member.id, projects, 'projectId', (i) => (i % 3) + 1);
      await t.graphql(ORGANIZATION_PROJECT_THREADS, { token: owner.owner.token, variables: { id: owner.org.globalId } });
      const result = await request(ORGANIZATION_PROJECT_THREADS, { id: owner.org.globalId }, owner.owner.token);
      const edges: { node: { id: string; comments: Connection } }[] = result.data.node.projects.edges;
      expect(edges).toHaveLength(count);
      for (const edge of edges) {
        const thread = threads.find((candidate) => candidate.parent.globalId === edge.node.id)!;
        expectPage(edge.node.comments, thread.oldestFirst, 0, 2);
      }
      expect(result.threadStatements).toBe(1);
      return result.statements;
    };
    expect(await threadsOf(6)).toBe(await threadsOf(2));
  });
});

describe('tenants', () => {
  it('gives a member of two organizations each task its own thread, batched per organization', async () => {
    const ours = await projectWithTaskThreads(team, 5);
    const theirs = await projectWithTaskThreads(otherTeam, 5);
    const both = await createUser(t);
    await addMember(t, team.org.id, both, 'member');
    await addMember(t, otherTeam.org.id, both, 'member');
    const all = [...ours.threads, ...theirs.threads];
    const { data, threadStatements } = await request(TASK_THREADS_BY_ID, { ids: all.map((thread) => thread.parent.globalId) }, both.token);
    data.nodes.forEach((node: { id: string; comments: Connection }, i: number) => {
      expect(node.id).toBe(all[i]!.parent.globalId);
      expectPage(node.comments, all[i]!.oldestFirst, 0, 10);
    });
    expect(threadStatements).toBe(2);
  });

  it("shows nothing of another organization's tasks next to one's own", async () => {
    const theirs = await projectWithTaskThreads(otherTeam, 5);
    const mixed = [many.threads[4]!, theirs.threads[4]!, many.threads[3]!, theirs.threads[3]!];
    const { data } = await request(TASK_THREADS_BY_ID, { ids: mixed.map((thread) => thread.parent.globalId) }, team.member.token);
    expect(data.nodes[1]).toBeNull();
    expect(data.nodes[3]).toBeNull();
    expectPage(data.nodes[0].comments, mixed[0]!.oldestFirst, 0, 10);
    expectPage(data.nodes[2].comments, mixed[2]!.oldestFirst, 0, 10);
  });

  it("filters by the organization in the query itself, not only through row-level security", async () => {
    const theirs = await projectWithTaskThreads(otherTeam, 5);
    // The owner connection bypasses RLS: only the repository's own filter stands between the tenants.
    const pages = await listThreadPages(
      t.owner.db,
      team.org.id,
      { parent: 'task', parentIds: [many.tasks[4]!.id, theirs.tasks[4]!.id] },
      'oldest_first',
      { limit: 10, after: null },
    );
    expect(pages.get(theirs.tasks[4]!.id)).toEqual([]);
    expect(pages.get(many.tasks[4]!.id)!.map((row) => globalId('Comment', row.id))).toEqual(many.threads[4]!.oldestFirst.map((c) => c.id));
  });
});
