import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { DELETE_TASK, RESTORE_TASK, snapshotTasks, taskRow } from './operations';

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

const base = (createdBy = team.member.id) => ({ organizationId: team.org.id, projectId: project.id, createdBy });
const del = (id: string, token = team.member.token) => t.graphql(DELETE_TASK, { token, variables: { id } });
const restore = (id: string, token = team.member.token) => t.graphql(RESTORE_TASK, { token, variables: { id } });

describe('deleteTask / restoreTask', () => {
  it('deletes a task with its subtree and restores exactly what was deleted with it', async () => {
    const root = await createTaskRow(t, base());
    const child = await createTaskRow(t, { ...base(), parentId: root.id });
    const grandchild = await createTaskRow(t, { ...base(), parentId: child.id });
    const deletedEarlier = await createTaskRow(t, { ...base(), parentId: root.id });
    await del(deletedEarlier.globalId);
    const earlierDeletedAt = (await taskRow(t, deletedEarlier.id)).deleted_at;

    const res = await del(root.globalId);
    expect(res.data.deleteTask.task.deletedAt).not.toBeNull();
    for (const task of [root, child, grandchild]) expect((await taskRow(t, task.id)).deleted_at).not.toBeNull();
    expect((await taskRow(t, deletedEarlier.id)).deleted_at).toEqual(earlierDeletedAt);

    const back = await restore(root.globalId);
    expect(back.data.restoreTask.task).toMatchObject({ deletedAt: null });
    for (const task of [root, child, grandchild]) expect((await taskRow(t, task.id)).deleted_at).toBeNull();
    expect((await taskRow(t, deletedEarlier.id)).deleted_at).not.toBeNull();
  });

  it('hides deleted subtasks from subtasks and subtaskCount', async () => {
    const root = await createTaskRow(t, base());
    const kept = await createTaskRow(t, { ...base(), parentId: root.id });
    const gone = await createTaskRow(t, { ...base(), parentId: root.id });
    await del(gone.globalId);
    const res = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on Task { subtaskCount subtasks { id } } } }`, {
      token: team.viewer.token,
      variables: { id: root.globalId },
    });
    expect(res.data.node).toEqual({ subtaskCount: 1, subtasks: [{ id: kept.globalId }] });
  });

  it('refuses to restore a subtask whose parent is deleted', async () => {
    const root = await createTaskRow(t, base());
    const child = await createTaskRow(t, { ...base(), parentId: root.id });
    await del(root.globalId);
    const res = await restore(child.globalId);
    expect(res.data.restoreTask.__typename).toBe('ConflictError');
    expect((await taskRow(t, child.id)).deleted_at).not.toBeNull();
  });

  it("lets the creator or an admin delete, not another member or a viewer", async () => {
    const byAdmin = await createTaskRow(t, base(team.admin.id));
    const before = await snapshotTasks(t);
    expect((await del(byAdmin.globalId, team.member.token)).data.deleteTask.__typename).toBe('ForbiddenError');
    expect((await del(byAdmin.globalId, team.viewer.token)).data.deleteTask.__typename).toBe('ForbiddenError');
    expect(await snapshotTasks(t)).toBe(before);
    const byMember = await createTaskRow(t, base(team.member.id));
    expect((await del(byMember.globalId, team.admin.token)).data.deleteTask.__typename).toBe('DeleteTaskSuccess');
    expect((await restore(byMember.globalId, team.viewer.token)).data.restoreTask.__typename).toBe('ForbiddenError');
    expect((await restore(byMember.globalId, team.member.token)).data.restoreTask.__typename).toBe('RestoreTaskSuccess');
  });

  it('answers NotFound to another organization and for an already deleted task', async () => {
    const task = await createTaskRow(t, base());
    expect((await del(task.globalId, other.owner.token)).data.deleteTask.__typename).toBe('NotFoundError');
    expect((await restore(task.globalId, other.owner.token)).data.restoreTask.__typename).toBe('NotFoundError');
    await del(task.globalId);
    expect((await del(task.globalId)).data.deleteTask.__typename).toBe('NotFoundError');
  });
});
