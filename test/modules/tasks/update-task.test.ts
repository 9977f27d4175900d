import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTeam, createUser, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { snapshotTasks, taskRow, UPDATE_TASK } from './operations';
import { organizationMembers } from '../../../src/db/schema/index';
import { and, eq } from 'drizzle-orm';

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

const newTask = () => createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
const update = (token: string, id: string, input: Record<string, unknown>, expectedVersion?: number) =>
  t.graphql(UPDATE_TASK, { token, variables: { id, input, expectedVersion } });

describe('updateTask', () => {
  it('changes fields, bumps the version and keeps what was omitted', async () => {
    const task = await newTask();
    const res = await update(team.member.token, task.globalId, { title: 'Renamed', priority: 'URGENT', dueDate: '2031-01-02' });
    expect(res.data.updateTask.task).toMatchObject({ title: 'Renamed', priority: 'URGENT', dueDate: '2031-01-02', version: 2, status: 'TODO' });
    const cleared = await update(team.member.token, task.globalId, { dueDate: null });
    expect(cleared.data.updateTask.task).toMatchObject({ dueDate: null, title: 'Renamed', version: 3 });
  });

  it('makes no new version when nothing changes', async () => {
    const task = await newTask();
    const res = await update(team.member.token, task.globalId, { title: task.title, priority: 'NONE' });
    expect(res.data.updateTask.task.version).toBe(1);
  });

  it('sets completedAt when done or canceled and clears it otherwise', async () => {
    const task = await newTask();
    const done = await update(team.member.token, task.globalId, { status: 'DONE' });
    expect(done.data.updateTask.task.completedAt).not.toBeNull();
    const reopened = await update(team.member.token, task.globalId, { status: 'IN_PROGRESS' });
    expect(reopened.data.updateTask.task.completedAt).toBeNull();
    const canceled = await update(team.member.token, task.globalId, { status: 'CANCELED' });
    expect(canceled.data.updateTask.task.completedAt).not.toBeNull();
  });

  it('refuses a stale expectedVersion with the current one, writing nothing', async () => {
    const task = await newTask();
    await update(team.member.token, task.globalId, { title: 'v2' });
    const before = await snapshotTasks(t);
    const res = await update(team.admin.token, task.globalId, { title: 'based on v1' }, 1);
    expect(res.data.updateTask).toMatchObject({ __typename: 'ConflictError', code: 'CONFLICT', currentVersion: 2 });
    expect(await snapshotTasks(t)).toBe(before);
    const ok = await update(team.admin.token, task.globalId, { title: 'based on v2' }, 2);
    expect(ok.data.updateTask.task).toMatchObject({ title: 'based on v2', version: 3 });
  });

  it('lets exactly one of two concurrent edits of the same version win', async () => {
    const task = await newTask();
    const results = await Promise.all(
      ['first', 'second'].map((title) => update(team.member.token, task.globalId, { title }, 1)),
    );
    expect(results.map((r) => r.data.updateTask.__typename).sort()).toEqual(['ConflictError', 'UpdateTaskSuccess']);
    expect((await taskRow(t, task.id)).version).toBe(2);
  });

  it('refuses viewers and outsiders', async () => {
    const task = await newTask();
    const viewer = await update(team.viewer.token, task.globalId, { title: 'x' });
    expect(viewer.data.updateTask.__typename).toBe('ForbiddenError');
    const outsider = await update(other.owner.token, task.globalId, { title: 'x' });
    expect(outsider.data.updateTask.__typename).toBe('NotFoundError');
    expect((await taskRow(t, task.id)).version).toBe(1);
  });

  it('treats a deleted task as not found', async () => {
    const task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id, deletedAt: new Date() });
    const res = await update(team.member.token, task.globalId, { title: 'x' });
    expect(res.data.updateTask).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
  });

  it('assigns members only: not outsiders, not removed members', async () => {
    const task = await newTask();
    const removed = await createUser(t);
    await addMember(t, team.org.id, removed, 'member');
    await t.owner.db
      .update(organizationMembers)
      .set({ deletedAt: new Date() })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, removed.id)));
    for (const user of [other.member, removed]) {
      const res = await update(team.member.token, task.globalId, { assigneeId: globalId('User', user.id) });
      expect(res.data.updateTask).toMatchObject({ __typename: 'NotFoundError', entity: 'User' });
    }
    const ok = await update(team.member.token, task.globalId, { assigneeId: globalId('User', team.admin.id) });
    expect(ok.data.updateTask.task.assignee.id).toBe(globalId('User', team.admin.id));
    const unassigned = await update(team.member.token, task.globalId, { assigneeId: null });
    expect(unassigned.data.updateTask.task.assignee).toBeNull();
  });

  it('only accepts a live milestone of the same project, and hides deleted ones', async () => {
    const task = await newTask();
    const elsewhere = await createProjectRow(t, team.org.id, team.admin.id);
    const foreign = await createMilestoneRow(t, { organizationId: team.org.id, projectId: elsewhere.id, createdBy: team.admin.id });
    const wrong = await update(team.member.token, task.globalId, { milestoneId: foreign.globalId });
    expect(wrong.data.updateTask.issues).toEqual([{ path: ['input', 'milestoneId'], message: expect.any(String) }]);
    const mine = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id });
    const ok = await update(team.member.token, task.globalId, { milestoneId: mine.globalId });
    expect(ok.data.updateTask.task.milestone.id).toBe(mine.globalId);
    const gone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id, deletedAt: new Date() });
    const deleted = await update(team.member.token, task.globalId, { milestoneId: gone.globalId });
    expect(deleted.data.updateTask.__typename).toBe('NotFoundError');
  });

  it('validates with field paths and writes nothing', async () => {
    const task = await newTask();
    const before = await snapshotTasks(t);
    for (const [input, path] of [
      [{ title: '' }, ['input', 'title']],
      [{ estimateMinutes: -1 }, ['input', 'estimateMinutes']],
      [{ metadata: { big: 'y'.repeat(20_000) } }, ['input', 'metadata']],
    ] as const) {
      const res = await update(team.member.token, task.globalId, input);
      expect(res.data.updateTask.issues[0].path).toEqual(path);
    }
    expect(await snapshotTasks(t)).toBe(before);
  });
});
