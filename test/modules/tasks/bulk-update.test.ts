import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, createTaskRows, type ProjectFixture } from '../../support/task-fixtures';
import { BULK_UPDATE, snapshotTasks, taskRow } from './operations';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  other = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.admin.id);
});
afterAll(() => t?.close());

const base = () => ({ organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
const bulk = (ids: string[], input: Record<string, unknown>, token = team.member.token) =>
  t.graphql(BULK_UPDATE, { token, variables: { ids, input } });

describe('bulkUpdateTasks', () => {
  it('changes status and assignee of every task, in the order asked', async () => {
    const tasks = await createTaskRows(t, base(), 3);
    const ids = tasks.map((task) => task.globalId).reverse();
    const res = await bulk(ids, { status: 'DONE', assigneeId: globalId('User', team.admin.id) });
    expect(res.data.bulkUpdateTasks.tasks.map((task: any) => task.id)).toEqual(ids);
    for (const task of res.data.bulkUpdateTasks.tasks) {
      expect(task).toMatchObject({ status: 'DONE', version: 2, assignee: { id: globalId('User', team.admin.id) } });
      expect(task.completedAt).not.toBeNull();
    }
  });

  it('leaves tasks that already have the value at their version', async () => {
    const [todo] = await createTaskRows(t, base(), 1);
    const done = await createTaskRow(t, { ...base(), status: 'done', completedAt: new Date('2020-01-01') });
    const res = await bulk([todo!.globalId, done.globalId], { status: 'DONE' });
    const [a, b] = res.data.bulkUpdateTasks.tasks;
    expect(a.version).toBe(2);
    expect(b).toMatchObject({ version: 1, completedAt: '2020-01-01T00:00:00.000Z' });
  });

  it('changes nothing when one id is unknown, deleted or of another organization', async () => {
    const tasks = await createTaskRows(t, base(), 2);
    const foreignProject = await createProjectRow(t, other.org.id, other.admin.id);
    const foreign = await createTaskRow(t, { organizationId: other.org.id, projectId: foreignProject.id, createdBy: other.admin.id });
    const deleted = await createTaskRow(t, { ...base(), deletedAt: new Date() });
    const before = await snapshotTasks(t);
    for (const intruder of [foreign.globalId, deleted.globalId, globalId('Task', '0190f5d2-3333-7000-8000-000000000001')]) {
      const res = await bulk([...tasks.map((task) => task.globalId), intruder], { status: 'CANCELED' });
      expect(res.data.bulkUpdateTasks).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    }
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('changes nothing when the assignee is not a member, or the viewer may not write', async () => {
    const tasks = await createTaskRows(t, base(), 2);
    const ids = tasks.map((task) => task.globalId);
    const before = await snapshotTasks(t);
    expect((await bulk(ids, { assigneeId: globalId('User', other.member.id) })).data.bulkUpdateTasks.__typename).toBe('NotFoundError');
    expect((await bulk(ids, { status: 'DONE' }, team.viewer.token)).data.bulkUpdateTasks.__typename).toBe('ForbiddenError');
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('validates the number of ids and that something changes', async () => {
    const [task] = await createTaskRows(t, base(), 1);
    expect((await bulk([], { status: 'DONE' })).data.bulkUpdateTasks.issues[0].path).toEqual(['ids']);
    const tooMany = Array.from({ length: 101 }, (_, i) => globalId('Task', `0190f5d2-4444-7000-8000-${String(i).padStart(12, '0')}`));
    expect((await bulk(tooMany, { status: 'DONE' })).data.bulkUpdateTasks.issues[0].path).toEqual(['ids']);
    expect((await bulk([task!.globalId], {})).data.bulkUpdateTasks.issues[0].path).toEqual(['input']);
    expect((await taskRow(t, task!.id)).version).toBe(1);
  });

  it('unassigns with a null assignee', async () => {
    const task = await createTaskRow(t, { ...base(), assigneeId: team.member.id });
    const res = await bulk([task.globalId], { assigneeId: null });
    expect(res.data.bulkUpdateTasks.tasks[0].assignee).toBeNull();
  });
});
