import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../../src/db/schema/columns';
import { labels } from '../../../src/db/schema/index';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';

const ADD = /* GraphQL */ `
  mutation Add($taskId: ID!, $labelIds: [ID!]!) {
    addTaskLabels(taskId: $taskId, labelIds: $labelIds) {
      __typename
      ... on Error { message code }
      ... on NotFoundError { entity }
      ... on ValidationError { issues { path message } }
      ... on AddTaskLabelsSuccess { task { id labels { name } } }
    }
  }
`;
const REMOVE = /* GraphQL */ `
  mutation Remove($taskId: ID!, $labelIds: [ID!]!) {
    removeTaskLabels(taskId: $taskId, labelIds: $labelIds) {
      __typename
      ... on Error { message code }
      ... on RemoveTaskLabelsSuccess { task { id labels { name } } }
    }
  }
`;
const TASK_LABELS = /* GraphQL */ `
  query TaskLabels($id: ID!) { node(id: $id) { ... on Task { labels { name } } } }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;
let projectId: string;

type LabelFixture = { id: string; globalId: string };

async function createLabelRow(organizationId: string, name: string, values: { deletedAt?: Date } = {}): Promise<LabelFixture> {
  const id = newId();
  await t.owner.db.insert(labels).values({ id, organizationId, name, ...values });
  return { id, globalId: globalId('Label', id) };
}

const newTask = (organizationId = team.org.id, project = projectId, createdBy = team.owner.id) =>
  createTaskRow(t, { organizationId, projectId: project, createdBy });

const attachedLabelIds = async (task: TaskFixture) => {
  const rows = await t.owner.db.execute<{ label_id: string }>(
    sql`select label_id from task_labels where task_id = ${task.id} order by label_id`,
  );
  return rows.map((row) => row.label_id);
};

const add = (task: TaskFixture, labelList: LabelFixture[], token = team.member.token) =>
  t.graphql(ADD, { token, variables: { taskId: task.globalId, labelIds: labelList.map((l) => l.globalId) } });

let bug: LabelFixture;
let feature: LabelFixture;
let api: LabelFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  other = await createTeam(t);
  projectId = (await createProjectRow(t, team.org.id, team.owner.id)).id;
  bug = await createLabelRow(team.org.id, 'bug');
  feature = await createLabelRow(team.org.id, 'Feature');
  api = await createLabelRow(team.org.id, 'API');
});
afterAll(() => t?.close());

describe('addTaskLabels', () => {
  it('attaches labels, ignores duplicates and lists them by name', async () => {
    const task = await newTask();
    const res = await add(task, [feature, bug, feature]);
    expect(res.errors).toBeUndefined();
    expect(res.data.addTaskLabels.task.labels).toEqual([{ name: 'bug' }, { name: 'Feature' }]);
    // Adding again (with one more) keeps one row per label.
    const again = await add(task, [bug, api]);
    expect(again.data.addTaskLabels.task.labels.map((l: { name: string }) => l.name)).toEqual(['API', 'bug', 'Feature']);
    expect(await attachedLabelIds(task)).toHaveLength(3);
  });

  it('refuses a viewer with Forbidden and attaches nothing', async () => {
    const task = await newTask();
    const res = await add(task, [bug], team.viewer.token);
    expect(res.data.addTaskLabels).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await attachedLabelIds(task)).toEqual([]);
  });

  it("answers NotFound for another organization's label, even to a member of both, and attaches nothing", async () => {
    const foreign = await createLabelRow(other.org.id, 'foreign');
    const task = await newTask();
    // The other team's owner also joins this team as a member: RLS lets them see both organizations.
    await t.owner.db.execute(
      sql`insert into organization_members (organization_id, user_id, role) values (${team.org.id}, ${other.owner.id}, 'member')`,
    );
    const res = await add(task, [bug, foreign], other.owner.token);
    expect(res.data.addTaskLabels).toMatchObject({ __typename: 'NotFoundError', entity: 'Label' });
    expect(await attachedLabelIds(task)).toEqual([]);
  });

  it("answers NotFound for another organization's task", async () => {
    const otherProject = await createProjectRow(t, other.org.id, other.owner.id);
    const foreignTask = await newTask(other.org.id, otherProject.id, other.owner.id);
    const res = await add(foreignTask, [bug]);
    expect(res.data.addTaskLabels).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    expect(await attachedLabelIds(foreignTask)).toEqual([]);
  });

  it('refuses a deleted label with NotFound', async () => {
    const gone = await createLabelRow(team.org.id, 'gone', { deletedAt: new Date() });
    const task = await newTask();
    const res = await add(task, [gone]);
    expect(res.data.addTaskLabels).toMatchObject({ __typename: 'NotFoundError', entity: 'Label' });
    expect(await attachedLabelIds(task)).toEqual([]);
  });

  it('refuses changes to a task of an archived project', async () => {
    const archived = await createProjectRow(t, team.org.id, team.owner.id, { status: 'archived' });
    const task = await newTask(team.org.id, archived.id);
    const res = await add(task, [bug]);
    expect(res.data.addTaskLabels.__typename).toBe('ForbiddenError');
    expect(await attachedLabelIds(task)).toEqual([]);
  });

  it('names a malformed label id', async () => {
    const task = await newTask();
    const res = await t.graphql(ADD, {
      token: team.member.token,
      variables: { taskId: task.globalId, labelIds: [bug.globalId, globalId('Label', 'not-a-uuid')] },
    });
    expect(res.data.addTaskLabels.__typename).toBe('ValidationError');
    expect(res.data.addTaskLabels.issues[0].path).toEqual(['labelIds', '1']);
  });
});

describe('removeTaskLabels', () => {
  it('detaches labels and ignores ones the task does not have', async () => {
    const task = await newTask();
    await add(task, [bug, feature]);
    const res = await t.graphql(REMOVE, { token: team.member.token, variables: { taskId: task.globalId, labelIds: [bug.globalId, api.globalId] } });
    expect(res.data.removeTaskLabels.task.labels).toEqual([{ name: 'Feature' }]);
    expect(await attachedLabelIds(task)).toEqual([feature.id]);
  });

  it('refuses a viewer and keeps the labels', async () => {
    const task = await newTask();
    await add(task, [bug]);
    const res = await t.graphql(REMOVE, { token: team.viewer.token, variables: { taskId: task.globalId, labelIds: [bug.globalId] } });
    expect(res.data.removeTaskLabels.__typename).toBe('ForbiddenError');
    expect(await attachedLabelIds(task)).toEqual([bug.id]);
  });
});

describe('Task.labels', () => {
  it('hides deleted labels and shows them again once restored', async () => {
    const temporary = await createLabelRow(team.org.id, 'temporary');
    const task = await newTask();
    await add(task, [temporary, bug]);
    await t.owner.db.execute(sql`update labels set deleted_at = now() where id = ${temporary.id}`);
    const hidden = await t.graphql(TASK_LABELS, { token: team.viewer.token, variables: { id: task.globalId } });
    expect(hidden.data.node.labels).toEqual([{ name: 'bug' }]);
    await t.owner.db.execute(sql`update labels set deleted_at = null where id = ${temporary.id}`);
    const back = await t.graphql(TASK_LABELS, { token: team.viewer.token, variables: { id: task.globalId } });
    expect(back.data.node.labels).toEqual([{ name: 'bug' }, { name: 'temporary' }]);
  });
});
