import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';

const ADD = /* GraphQL */ `
  mutation Add($input: AddTaskDependencyInput!) {
    addTaskDependency(input: $input) {
      __typename
      ... on Error { message code }
      ... on NotFoundError { entity }
      ... on ValidationError { issues { path message } }
      ... on AddTaskDependencySuccess { dependency { id type fromTask { id } toTask { id } createdAt } }
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation Remove($id: ID!) {
    removeTaskDependency(id: $id) {
      __typename
      ... on Error { message code }
      ... on RemoveTaskDependencySuccess { dependency { id type fromTask { id } } }
    }
  }
`;
const LINKS = /* GraphQL */ `
  query Links($id: ID!) {
    node(id: $id) {
      ... on Task {
        blockedBy { id }
        blocking { id }
        related { id }
        duplicates { id }
        duplicatedBy { id }
        dependencies { id type fromTask { id } toTask { id } }
      }
    }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;
let projectId: string;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  other = await createTeam(t);
  projectId = (await createProjectRow(t, team.org.id, team.owner.id)).id;
});
afterAll(() => t?.close());

const newTask = (overrides: Partial<Parameters<typeof createTaskRow>[1]> = {}) =>
  createTaskRow(t, { organizationId: team.org.id, projectId, createdBy: team.owner.id, ...overrides });
const newTasks = (n: number) => Promise.all(Array.from({ length: n }, () => newTask()));

type Type = 'BLOCKS' | 'RELATES_TO' | 'DUPLICATES';
const add = async (from: TaskFixture, to: TaskFixture, type: Type = 'BLOCKS', token = team.member.token) => {
  const res = await t.graphql(ADD, { token, variables: { input: { fromTaskId: from.globalId, toTaskId: to.globalId, type } } });
  expect(res.errors).toBeUndefined();
  return res.data.addTaskDependency;
};
const links = async (task: TaskFixture, token = team.viewer.token) => {
  const res = await t.graphql(LINKS, { token, variables: { id: task.globalId } });
  expect(res.errors).toBeUndefined();
  return res.data.node;
};
const edgesTouching = async (...tasks: TaskFixture[]) => {
  const ids = tasks.map((task) => task.id);
  const rows = await t.owner.db.execute<{ from_task_id: string; to_task_id: string; type: string }>(
    sql`select from_task_id, to_task_id, type from task_dependencies
        where from_task_id in ${ids} or to_task_id in ${ids} order by created_at, id`,
  );
  return rows.map((row) => `${row.from_task_id}-${row.type}->${row.to_task_id}`);
};
const ids = (list: { id: string }[]) => list.map((item) => item.id);

describe('addTaskDependency', () => {
  it('links two tasks and shows the link from both ends', async () => {
    const [a, b] = await newTasks(2);
    const result = await add(a!, b!);
    expect(result.__typename).toBe('AddTaskDependencySuccess');
    expect(result.dependency).toMatchObject({ type: 'BLOCKS', fromTask: { id: a!.globalId }, toTask: { id: b!.globalId } });
    expect(await links(b!)).toMatchObject({ blockedBy: [{ id: a!.globalId }], blocking: [] });
    const ofA = await links(a!);
    expect(ofA).toMatchObject({ blockedBy: [], blocking: [{ id: b!.globalId }] });
    expect(ofA.dependencies).toEqual([result.dependency].map(({ id, type, fromTask, toTask }) => ({ id, type, fromTask, toTask })));
  });

  it('refuses a task depending on itself and writes nothing', async () => {
    const [a] = await newTasks(1);
    const result = await add(a!, a!);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toEqual(['input', 'toTaskId']);
    expect(await edgesTouching(a!)).toEqual([]);
  });

  it('returns the existing link when the same one is added again', async () => {
    const [a, b] = await newTasks(2);
    const first = await add(a!, b!);
    const second = await add(a!, b!);
    expect(second.dependency.id).toBe(first.dependency.id);
    expect(await edgesTouching(a!, b!)).toHaveLength(1);
  });

  it('treats relates_to as symmetric: the reverse link is the same link', async () => {
    const [a, b] = await newTasks(2);
    const first = await add(a!, b!, 'RELATES_TO');
    const reverse = await add(b!, a!, 'RELATES_TO');
    expect(reverse.dependency.id).toBe(first.dependency.id);
    expect(await edgesTouching(a!, b!)).toHaveLength(1);
    expect(ids((await links(a!)).related)).toEqual([b!.globalId]);
    expect(ids((await links(b!)).related)).toEqual([a!.globalId]);
  });

  it('lets the same pair carry different kinds of link', async () => {
    const [a, b] = await newTasks(2);
    await add(a!, b!, 'BLOCKS');
    await add(a!, b!, 'DUPLICATES');
    expect(await links(a!)).toMatchObject({ blocking: [{ id: b!.globalId }], duplicates: [{ id: b!.globalId }], duplicatedBy: [] });
    expect(await links(b!)).toMatchObject({ duplicatedBy: [{ id: a!.globalId }], duplicates: [] });
  });

  it('refuses a blocking link that would close a cycle over a chain of four, and writes nothing', async () => {
    const [a, b, c, d] = await newTasks(4);
    for (const [from, to] of [[a, b], [b, c], [c, d]] as const) expect((await add(from!, to!)).__typename).toBe('AddTaskDependencySuccess');
    const before = await edgesTouching(a!, b!, c!, d!);

    for (const [from, to] of [[d, a], [c, a], [d, b], [b, a]] as const) {
      const result = await add(from!, to!);
      expect(result.__typename).toBe('ValidationError');
      expect(result.issues[0].message).toMatch(/cycle/);
    }
    expect(await edgesTouching(a!, b!, c!, d!)).toEqual(before);

    // A shortcut along the chain is no cycle, and other kinds of link never form one.
    expect((await add(a!, d!)).__typename).toBe('AddTaskDependencySuccess');
    expect((await add(d!, a!, 'RELATES_TO')).__typename).toBe('AddTaskDependencySuccess');
    expect((await add(d!, a!, 'DUPLICATES')).__typename).toBe('AddTaskDependencySuccess');
  });

  it('counts links of deleted tasks towards cycles, so restoring one cannot bring a cycle back', async () => {
    const [a, b, c] = await newTasks(3);
    await add(a!, b!);
    await add(b!, c!);
    await t.owner.db.execute(sql`update tasks set deleted_at = now() where id = ${b!.id}`);
    expect(ids((await links(c!)).blockedBy)).toEqual([]);
    expect((await add(c!, a!)).__typename).toBe('ValidationError');
  });

  it('lets only one of two concurrent links that would close a cycle through', async () => {
    // Several rounds: without the per-organization lock, both inserts pass their check in most of them.
    for (let round = 0; round < 5; round++) {
      const [a, b, c] = await newTasks(3);
      await add(a!, b!);
      const results = await Promise.all([add(b!, c!), add(c!, a!)]);
      expect(results.map((r) => r.__typename).sort()).toEqual(['AddTaskDependencySuccess', 'ValidationError']);
      expect(await edgesTouching(a!, b!, c!)).toHaveLength(2);
    }
  });

  it('refuses a viewer with Forbidden and writes nothing', async () => {
    const [a, b] = await newTasks(2);
    const result = await add(a!, b!, 'BLOCKS', team.viewer.token);
    expect(result.__typename).toBe('ForbiddenError');
    expect(await edgesTouching(a!, b!)).toEqual([]);
  });

  it("answers NotFound for another organization's task, even to a member of both, and writes nothing", async () => {
    const otherProject = await createProjectRow(t, other.org.id, other.owner.id);
    const foreign = await createTaskRow(t, { organizationId: other.org.id, projectId: otherProject.id, createdBy: other.owner.id });
    const [a] = await newTasks(1);
    const outsider = await add(a!, foreign, 'BLOCKS', team.member.token);
    expect(outsider).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });

    await t.owner.db.execute(
      sql`insert into organization_members (organization_id, user_id, role) values (${team.org.id}, ${other.owner.id}, 'member')`,
    );
    for (const [from, to] of [[a!, foreign], [foreign, a!]] as const) {
      const result = await add(from, to, 'RELATES_TO', other.owner.token);
      expect(result).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    }
    expect(await edgesTouching(a!, foreign)).toEqual([]);
  });

  it('refuses a deleted task with NotFound', async () => {
    const [a] = await newTasks(1);
    const deleted = await newTask({ deletedAt: new Date() });
    expect(await add(a!, deleted)).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    expect(await edgesTouching(a!, deleted)).toEqual([]);
  });

  it('refuses links to tasks of an archived project', async () => {
    const archived = await createProjectRow(t, team.org.id, team.owner.id, { status: 'archived' });
    const [a] = await newTasks(1);
    const frozen = await newTask({ projectId: archived.id });
    expect((await add(a!, frozen)).__typename).toBe('ForbiddenError');
    expect(await edgesTouching(a!, frozen)).toEqual([]);
  });
});

describe('removeTaskDependency', () => {
  it('removes a link and returns it as it was', async () => {
    const [a, b] = await newTasks(2);
    const { dependency } = await add(a!, b!);
    const res = await t.graphql(REMOVE, { token: team.member.token, variables: { id: dependency.id } });
    expect(res.data.removeTaskDependency.dependency).toMatchObject({ id: dependency.id, type: 'BLOCKS', fromTask: { id: a!.globalId } });
    expect(await edgesTouching(a!, b!)).toEqual([]);
    expect(ids((await links(b!)).blockedBy)).toEqual([]);
  });

  it('refuses a viewer, answers NotFound to another organization, and keeps the link', async () => {
    const [a, b] = await newTasks(2);
    const { dependency } = await add(a!, b!);
    const asViewer = await t.graphql(REMOVE, { token: team.viewer.token, variables: { id: dependency.id } });
    expect(asViewer.data.removeTaskDependency.__typename).toBe('ForbiddenError');
    const asStranger = await t.graphql(REMOVE, { token: team.outsider.token, variables: { id: dependency.id } });
    expect(asStranger.data.removeTaskDependency.__typename).toBe('NotFoundError');
    expect(await edgesTouching(a!, b!)).toHaveLength(1);
  });

  it('answers NotFound for an unknown id', async () => {
    const res = await t.graphql(REMOVE, {
      token: team.member.token,
      variables: { id: globalId('TaskDependency', '0190f5d2-3333-7000-8000-000000000001') },
    });
    expect(res.data.removeTaskDependency.__typename).toBe('NotFoundError');
  });
});

describe('Task link fields', () => {
  it('hide deleted tasks at the other end', async () => {
    const [a, b, c] = await newTasks(3);
    await add(a!, c!);
    await add(b!, c!);
    await add(c!, a!, 'RELATES_TO');
    await t.owner.db.execute(sql`update tasks set deleted_at = now() where id = ${a!.id}`);
    const ofC = await links(c!);
    expect(ids(ofC.blockedBy)).toEqual([b!.globalId]);
    expect(ofC.related).toEqual([]);
    expect(ofC.dependencies.map((d: { fromTask: { id: string } }) => d.fromTask.id)).toEqual([b!.globalId]);
  });

  it('list links oldest first', async () => {
    const [target, ...blockers] = await newTasks(4);
    for (const blocker of blockers.reverse()) await add(blocker, target!);
    expect(ids((await links(target!)).blockedBy)).toEqual(blockers.map((b) => b.globalId));
  });
});
