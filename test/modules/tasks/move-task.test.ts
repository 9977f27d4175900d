import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRow, createTaskRows, type ProjectFixture } from '../../support/task-fixtures';
import { MOVE_TASK, siblingOrder, snapshotTasks, taskRow } from './operations';

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
const move = (id: string, input: Record<string, unknown>, token = team.member.token) =>
  t.graphql(MOVE_TASK, { token, variables: { id, input } });

describe('moveTask: reordering', () => {
  it('puts a task after, before or between siblings without renumbering the others', async () => {
    const parent = await createTaskRow(t, base());
    const [a, b, c, d] = await createTaskRows(t, { ...base(), parentId: parent.id }, 4);
    const ranksBefore = [a!.rank, b!.rank, c!.rank];

    expect((await move(d!.globalId, { afterId: a!.globalId })).data.moveTask.__typename).toBe('MoveTaskSuccess');
    expect(await siblingOrder(t, project.id, parent.id)).toEqual([a!.id, d!.id, b!.id, c!.id]);

    await move(a!.globalId, { beforeId: c!.globalId });
    expect(await siblingOrder(t, project.id, parent.id)).toEqual([d!.id, b!.id, a!.id, c!.id]);

    await move(c!.globalId, { afterId: d!.globalId, beforeId: b!.globalId });
    expect(await siblingOrder(t, project.id, parent.id)).toEqual([d!.id, c!.id, b!.id, a!.id]);

    await move(d!.globalId, {});
    expect(await siblingOrder(t, project.id, parent.id)).toEqual([c!.id, b!.id, a!.id, d!.id]);
    // b never moved: its rank is untouched.
    expect((await taskRow(t, b!.id)).rank).toBe(ranksBefore[1]);
    expect((await taskRow(t, d!.id)).version).toBe(3);
  });

  it('refuses a position relative to itself, a non-sibling or in the wrong order', async () => {
    const [a, b] = await createTaskRows(t, base(), 2);
    const stranger = await createTaskRow(t, { ...base(), parentId: a!.id });
    const before = await snapshotTasks(t);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ afterId: a!.globalId }, ['input', 'afterId']],
      [{ afterId: stranger.globalId }, ['input', 'afterId']],
      [{ afterId: b!.globalId, beforeId: b!.globalId }, ['input', 'beforeId']],
    ];
    for (const [input, path] of cases) {
      const res = await move(a!.globalId, input);
      expect(res.data.moveTask.issues?.[0]?.path, JSON.stringify(res.data)).toEqual(path);
    }
    expect(await snapshotTasks(t)).toBe(before);
  });
});

describe('moveTask: reparenting', () => {
  it('moves a task under another parent, at the end by default, and back to the top level', async () => {
    const [p, q] = await createTaskRows(t, base(), 2);
    const existing = await createTaskRow(t, { ...base(), parentId: q!.id });
    const res = await move(p!.globalId, { parentId: q!.globalId });
    expect(res.data.moveTask.task.parent.id).toBe(q!.globalId);
    expect(await siblingOrder(t, project.id, q!.id)).toEqual([existing.id, p!.id]);
    const top = await move(p!.globalId, { parentId: null, beforeId: q!.globalId });
    expect(top.data.moveTask.task.parent).toBeNull();
    const topLevel = await siblingOrder(t, project.id, null);
    expect(topLevel.indexOf(p!.id)).toBe(topLevel.indexOf(q!.id) - 1);
  });

  it('refuses to move a task under itself or one of its descendants', async () => {
    const root = await createTaskRow(t, base());
    const child = await createTaskRow(t, { ...base(), parentId: root.id });
    const grandchild = await createTaskRow(t, { ...base(), parentId: child.id });
    const before = await snapshotTasks(t);
    for (const target of [root, child, grandchild]) {
      const res = await move(root.globalId, { parentId: target.globalId });
      expect(res.data.moveTask.__typename).toBe('ValidationError');
      expect(res.data.moveTask.issues[0].path).toEqual(['input', 'parentId']);
    }
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('never lets two concurrent opposite moves create a cycle', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await createTaskRows(t, base(), 2);
      const results = await Promise.all([move(a!.globalId, { parentId: b!.globalId }), move(b!.globalId, { parentId: a!.globalId })]);
      const kinds = results.map((r) => r.data.moveTask.__typename).sort();
      expect(kinds).toEqual(['MoveTaskSuccess', 'ValidationError']);
      const [rowA, rowB] = [await taskRow(t, a!.id), await taskRow(t, b!.id)];
      expect(rowA.parent_id === b!.id && rowB.parent_id === a!.id).toBe(false);
    }
  });

  it("answers NotFound for another organization's parent or project", async () => {
    const task = await createTaskRow(t, base());
    const foreignProject = await createProjectRow(t, other.org.id, other.admin.id);
    const foreignTask = await createTaskRow(t, { organizationId: other.org.id, projectId: foreignProject.id, createdBy: other.admin.id });
    const before = await snapshotTasks(t);
    expect((await move(task.globalId, { parentId: foreignTask.globalId })).data.moveTask).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    expect((await move(task.globalId, { projectId: foreignProject.globalId })).data.moveTask).toMatchObject({ __typename: 'NotFoundError', entity: 'Project' });
    expect((await move(foreignTask.globalId, {})).data.moveTask).toMatchObject({ __typename: 'NotFoundError', entity: 'Task' });
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('refuses viewers', async () => {
    const task = await createTaskRow(t, base());
    expect((await move(task.globalId, {}, team.viewer.token)).data.moveTask.__typename).toBe('ForbiddenError');
  });
});

describe('moveTask: changing project', () => {
  it('moves the whole subtree, keeps its shape and clears milestones of the old project', async () => {
    const target = await createProjectRow(t, team.org.id, team.admin.id);
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id });
    const root = await createTaskRow(t, { ...base(), milestoneId: milestone.id });
    const child = await createTaskRow(t, { ...base(), parentId: root.id, milestoneId: milestone.id });
    const deletedChild = await createTaskRow(t, { ...base(), parentId: root.id, deletedAt: new Date() });
    const grandchild = await createTaskRow(t, { ...base(), parentId: child.id });
    const existing = await createTaskRow(t, { organizationId: team.org.id, projectId: target.id, createdBy: team.admin.id });

    const res = await move(root.globalId, { projectId: target.globalId });
    expect(res.data.moveTask.task).toMatchObject({ project: { id: target.globalId }, milestone: null, parent: null, version: 2 });
    for (const id of [child.id, grandchild.id, deletedChild.id]) {
      const row = await taskRow(t, id);
      expect(row.project_id).toBe(target.id);
      expect(row.milestone_id).toBeNull();
    }
    expect((await taskRow(t, grandchild.id)).parent_id).toBe(child.id);
    expect(await siblingOrder(t, target.id, null)).toEqual([existing.id, root.id]);
  });

  it('a subtask moved to another project becomes top level unless a parent there is given', async () => {
    const target = await createProjectRow(t, team.org.id, team.admin.id);
    const targetParent = await createTaskRow(t, { organizationId: team.org.id, projectId: target.id, createdBy: team.admin.id });
    const parent = await createTaskRow(t, base());
    const a = await createTaskRow(t, { ...base(), parentId: parent.id });
    const b = await createTaskRow(t, { ...base(), parentId: parent.id });
    expect((await move(a.globalId, { projectId: target.globalId })).data.moveTask.task.parent).toBeNull();
    const res = await move(b.globalId, { parentId: targetParent.globalId });
    expect(res.data.moveTask.task).toMatchObject({ project: { id: target.globalId }, parent: { id: targetParent.globalId } });
  });

  it('refuses a parent outside the requested project, and archived targets', async () => {
    const task = await createTaskRow(t, base());
    const target = await createProjectRow(t, team.org.id, team.admin.id);
    const parentHere = await createTaskRow(t, base());
    const mismatch = await move(task.globalId, { projectId: target.globalId, parentId: parentHere.globalId });
    expect(mismatch.data.moveTask.issues[0].path).toEqual(['input', 'parentId']);
    const archived = await createProjectRow(t, team.org.id, team.admin.id, { status: 'archived' });
    expect((await move(task.globalId, { projectId: archived.globalId })).data.moveTask.__typename).toBe('ForbiddenError');
    expect((await taskRow(t, task.id)).project_id).toBe(project.id);
  });
});
