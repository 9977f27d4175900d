import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../../src/db/schema/columns';
import { labels, taskDependencies } from '../../../src/db/schema/index';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { BRIEF_LENGTH } from '../../../src/modules/activity/activity-changes';
import { activityRows, clearActivity, ERROR_FIELDS, mutate, notificationRows } from './activity-support';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
});
afterAll(() => t?.close());
beforeEach(() => clearActivity(t));

const task = (overrides: Parameters<typeof createTaskRow>[1] extends infer I ? Partial<I> : never = {}) =>
  createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id, ...overrides });

const CREATE = `mutation ($input: CreateTaskInput!) { createTask(input: $input) { __typename ... on CreateTaskSuccess { task { id } } ${ERROR_FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $v: Int, $input: UpdateTaskInput!) {
  updateTask(id: $id, expectedVersion: $v, input: $input) { __typename ${ERROR_FIELDS} } }`;
const BULK = `mutation ($ids: [ID!]!, $input: BulkUpdateTasksInput!) { bulkUpdateTasks(ids: $ids, input: $input) { __typename ${ERROR_FIELDS} } }`;
const MOVE = `mutation ($id: ID!, $input: MoveTaskInput!) { moveTask(id: $id, input: $input) { __typename ${ERROR_FIELDS} } }`;
const DELETE = `mutation ($id: ID!) { deleteTask(id: $id) { __typename ${ERROR_FIELDS} } }`;
const RESTORE = `mutation ($id: ID!) { restoreTask(id: $id) { __typename ${ERROR_FIELDS} } }`;
const ADD_LABELS = `mutation ($taskId: ID!, $labelIds: [ID!]!) { addTaskLabels(taskId: $taskId, labelIds: $labelIds) { __typename ${ERROR_FIELDS} } }`;
const REMOVE_LABELS = `mutation ($taskId: ID!, $labelIds: [ID!]!) { removeTaskLabels(taskId: $taskId, labelIds: $labelIds) { __typename ${ERROR_FIELDS} } }`;
const ADD_DEPENDENCY = `mutation ($input: AddTaskDependencyInput!) {
  addTaskDependency(input: $input) { __typename ... on AddTaskDependencySuccess { dependency { id } } ${ERROR_FIELDS} } }`;
const REMOVE_DEPENDENCY = `mutation ($id: ID!) { removeTaskDependency(id: $id) { __typename ${ERROR_FIELDS} } }`;

const watchersOf = async (taskId: string) =>
  (await t.owner.db.execute<{ user_id: string; reason: string }>(
    sql`select user_id, reason from task_watchers where task_id = ${taskId} and watching order by reason::text`,
  )).map((row) => ({ userId: row.user_id, reason: row.reason }));

describe('task activity', () => {
  it('createTask writes task.created; the creator watches, the assignee watches and is notified', async () => {
    const result = await mutate(t, team.member, 'createTask', CREATE, {
      input: { projectId: project.globalId, title: 'Write docs', assigneeId: globalId('User', team.admin.id) },
    });
    expect(result.__typename).toBe('CreateTaskSuccess');
    const taskId = Buffer.from(result.task.id, 'base64').toString().split(':')[1]!;
    expect(await activityRows(t)).toEqual([
      { verb: 'task.created', actor_id: team.member.id, subject_type: 'task', subject_id: taskId, project_id: project.id, task_id: taskId, changes: {} },
    ]);
    expect(await watchersOf(taskId)).toEqual([
      { userId: team.admin.id, reason: 'assignee' },
      { userId: team.member.id, reason: 'creator' },
    ]);
    expect(await notificationRows(t)).toEqual([{ recipient_id: team.admin.id, kind: 'assigned', task_id: taskId, actor_id: team.member.id }]);
  });

  it('updateTask writes one event with every changed field; a status change names it', async () => {
    const row = await task({ title: 'Old', status: 'todo' });
    const result = await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, input: { title: 'New', status: 'IN_PROGRESS' } });
    expect(result.__typename).toBe('UpdateTaskSuccess');
    const events = await activityRows(t);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      verb: 'task.status_changed',
      actor_id: team.member.id,
      task_id: row.id,
      project_id: project.id,
      changes: { title: { from: 'Old', to: 'New' }, status: { from: 'todo', to: 'in_progress' } },
    });
  });

  it('a plain field change is task.updated, and a long description is not copied in full', async () => {
    const row = await task();
    const description = 'x'.repeat(5000);
    await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, input: { description, priority: 'HIGH' } });
    const [event] = await activityRows(t);
    expect(event!.verb).toBe('task.updated');
    expect(event!.changes.priority).toEqual({ from: 'none', to: 'high' });
    expect((event!.changes.description!.to as string).length).toBe(BRIEF_LENGTH);
    expect(event!.changes.description!.from).toBe('');
  });

  it('assigning someone is task.assigned and notifies them; assigning yourself notifies nobody', async () => {
    const row = await task();
    await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, input: { assigneeId: globalId('User', team.member.id) } });
    expect((await activityRows(t)).map((e) => [e.verb, e.changes])).toEqual([['task.assigned', { assigneeId: { from: null, to: team.member.id } }]]);
    expect(await notificationRows(t)).toEqual([]);
    expect(await watchersOf(row.id)).toEqual([{ userId: team.member.id, reason: 'assignee' }]);

    await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, input: { assigneeId: globalId('User', team.owner.id) } });
    expect(await notificationRows(t)).toEqual([{ recipient_id: team.owner.id, kind: 'assigned', task_id: row.id, actor_id: team.member.id }]);
  });

  it('a stale expectedVersion (Conflict), a refused change and a no-op write no activity', async () => {
    const row = await task({ title: 'Same' });
    const stale = await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, v: row.version + 5, input: { title: 'Changed' } });
    expect(stale.__typename).toBe('ConflictError');
    const refused = await mutate(t, team.viewer, 'updateTask', UPDATE, { id: row.globalId, input: { title: 'Changed' } });
    expect(refused.__typename).toBe('ForbiddenError');
    const same = await mutate(t, team.member, 'updateTask', UPDATE, { id: row.globalId, input: { title: 'Same' } });
    expect(same.__typename).toBe('UpdateTaskSuccess');
    expect(await activityRows(t)).toEqual([]);
  });

  it('bulkUpdateTasks writes one event per task that changed', async () => {
    const a = await task({ status: 'todo' });
    const b = await task({ status: 'todo' });
    const done = await task({ status: 'done' });
    const result = await mutate(t, team.member, 'bulkUpdateTasks', BULK, { ids: [a.globalId, b.globalId, done.globalId], input: { status: 'DONE' } });
    expect(result.__typename).toBe('BulkUpdateTasksSuccess');
    const events = await activityRows(t);
    expect(events.map((e) => e.task_id).sort()).toEqual([a.id, b.id].sort());
    for (const event of events) expect(event).toMatchObject({ verb: 'task.status_changed', changes: { status: { from: 'todo', to: 'done' } } });
  });

  it('moveTask writes task.moved with the position change', async () => {
    const first = await task();
    const second = await task();
    await mutate(t, team.member, 'moveTask', MOVE, { id: second.globalId, input: { beforeId: first.globalId } });
    const [event, ...rest] = await activityRows(t);
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ verb: 'task.moved', task_id: second.id, changes: { rank: { from: second.rank } } });
    expect((event!.changes.rank!.to as string) < first.rank).toBe(true);
  });

  it('moving to another project records the task and the subtasks that went along', async () => {
    const other = await createProjectRow(t, team.org.id, team.owner.id);
    const parent = await task();
    const child = await task({ parentId: parent.id });
    await mutate(t, team.member, 'moveTask', MOVE, { id: parent.globalId, input: { projectId: other.globalId } });
    const events = await activityRows(t);
    expect(events.map((e) => [e.verb, e.task_id, e.project_id, e.changes.projectId])).toEqual(
      expect.arrayContaining([
        ['task.moved', parent.id, other.id, { from: project.id, to: other.id }],
        ['task.moved', child.id, other.id, { from: project.id, to: other.id }],
      ]),
    );
    expect(events).toHaveLength(2);
  });

  it('deleteTask and restoreTask write one event per task of the subtree', async () => {
    const parent = await task({ createdBy: team.member.id });
    const child = await task({ parentId: parent.id });
    await mutate(t, team.member, 'deleteTask', DELETE, { id: parent.globalId });
    expect((await activityRows(t)).map((e) => `${e.verb} ${e.task_id}`).sort()).toEqual([`task.deleted ${child.id}`, `task.deleted ${parent.id}`].sort());
    await clearActivity(t);
    await mutate(t, team.member, 'restoreTask', RESTORE, { id: parent.globalId });
    expect((await activityRows(t)).map((e) => `${e.verb} ${e.task_id}`).sort()).toEqual([`task.restored ${child.id}`, `task.restored ${parent.id}`].sort());
  });

  it('labels: task.labels_changed with the labels before and after; adding one it has writes nothing', async () => {
    const row = await task();
    const [label] = await t.owner.db.insert(labels).values({ id: newId(), organizationId: team.org.id, name: `bug-${row.id.slice(0, 6)}`, color: '#ff0000' }).returning();
    const labelId = globalId('Label', label!.id);
    expect((await mutate(t, team.member, 'addTaskLabels', ADD_LABELS, { taskId: row.globalId, labelIds: [labelId] })).__typename).toBe('AddTaskLabelsSuccess');
    await mutate(t, team.member, 'addTaskLabels', ADD_LABELS, { taskId: row.globalId, labelIds: [labelId] });
    await mutate(t, team.member, 'removeTaskLabels', REMOVE_LABELS, { taskId: row.globalId, labelIds: [labelId] });
    expect((await activityRows(t)).map((e) => [e.verb, e.task_id, e.changes])).toEqual([
      ['task.labels_changed', row.id, { labelIds: { from: [], to: [label!.id] } }],
      ['task.labels_changed', row.id, { labelIds: { from: [label!.id], to: [] } }],
    ]);
  });

  it('dependencies: added and removed, on the blocking task', async () => {
    const from = await task();
    const to = await task();
    const added = await mutate(t, team.member, 'addTaskDependency', ADD_DEPENDENCY, {
      input: { fromTaskId: from.globalId, toTaskId: to.globalId, type: 'BLOCKS' },
    });
    await mutate(t, team.member, 'removeTaskDependency', REMOVE_DEPENDENCY, { id: added.dependency.id });
    const events = await activityRows(t);
    expect(events.map((e) => [e.verb, e.subject_type, e.task_id, e.project_id, e.changes])).toEqual([
      ['task.dependency_added', 'dependency', from.id, project.id, { type: { from: null, to: 'blocks' }, toTaskId: { from: null, to: to.id } }],
      ['task.dependency_removed', 'dependency', from.id, project.id, { type: { from: 'blocks', to: null }, toTaskId: { from: to.id, to: null } }],
    ]);
    expect(events[0]!.subject_id).toBe(events[1]!.subject_id);
  });

  it('a blocker becoming done notifies the people of tasks nothing blocks any more', async () => {
    const blocker = await task({ status: 'in_progress' });
    const otherBlocker = await task({ status: 'in_progress' });
    const freed = await task({ assigneeId: team.admin.id });
    const stillBlocked = await task({ assigneeId: team.owner.id });
    await t.owner.db.insert(taskDependencies).values([
      { organizationId: team.org.id, fromTaskId: blocker.id, toTaskId: freed.id, type: 'blocks' },
      { organizationId: team.org.id, fromTaskId: blocker.id, toTaskId: stillBlocked.id, type: 'blocks' },
      { organizationId: team.org.id, fromTaskId: otherBlocker.id, toTaskId: stillBlocked.id, type: 'blocks' },
    ]);
    await mutate(t, team.member, 'updateTask', UPDATE, { id: blocker.globalId, input: { status: 'DONE' } });
    expect(await notificationRows(t)).toEqual([{ recipient_id: team.admin.id, kind: 'unblocked', task_id: freed.id, actor_id: team.member.id }]);
  });
});
