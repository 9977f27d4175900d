import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { CREATE_TASK, siblingOrder, snapshotTasks } from './operations';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let otherProject: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  other = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.admin.id);
  otherProject = await createProjectRow(t, other.org.id, other.admin.id);
});
afterAll(() => t?.close());

const create = (token: string, input: Record<string, unknown>) =>
  t.graphql(CREATE_TASK, { token, variables: { input: { projectId: project.globalId, title: 'A task', ...input } } });

describe('createTask', () => {
  it('lets a member create a task with every field, appended after its siblings', async () => {
    const first = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const res = await create(team.member.token, {
      title: '  Write the spec  ',
      description: 'Details',
      status: 'IN_PROGRESS',
      priority: 'HIGH',
      dueDate: '2030-05-01',
      estimateMinutes: 90,
      assigneeId: globalId('User', team.viewer.id),
      milestoneId: milestone.globalId,
      metadata: { source: 'import', tags: ['a'] },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data.createTask.__typename).toBe('CreateTaskSuccess');
    const task = res.data.createTask.task;
    expect(task).toMatchObject({
      title: 'Write the spec',
      description: 'Details',
      status: 'IN_PROGRESS',
      priority: 'HIGH',
      dueDate: '2030-05-01',
      estimateMinutes: 90,
      version: 1,
      completedAt: null,
      metadata: { source: 'import', tags: ['a'] },
      project: { id: project.globalId },
      milestone: { id: milestone.globalId },
      assignee: { id: globalId('User', team.viewer.id) },
    });
    expect(task.rank > first.rank).toBe(true);
  });

  it('sets completedAt when a task is created done', async () => {
    const res = await create(team.member.token, { status: 'DONE' });
    expect(res.data.createTask.task.completedAt).not.toBeNull();
  });

  it('places a task between neighbours with a position', async () => {
    const parent = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const base = { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id, parentId: parent.id };
    const a = await createTaskRow(t, base);
    const b = await createTaskRow(t, base);
    const between = await create(team.member.token, { parentId: parent.globalId, position: { afterId: a.globalId } });
    const first = await create(team.member.token, { parentId: parent.globalId, position: { beforeId: a.globalId } });
    const both = await create(team.member.token, { parentId: parent.globalId, position: { afterId: a.globalId, beforeId: between.data.createTask.task.id } });
    const id = (res: any) => Buffer.from(res.data.createTask.task.id, 'base64').toString().split(':')[1];
    expect(await siblingOrder(t, project.id, parent.id)).toEqual([id(first), a.id, id(both), id(between), b.id]);
  });

  it('refuses a neighbour that is not a sibling, naming the field', async () => {
    const stranger = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const parent = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const before = await snapshotTasks(t);
    const res = await create(team.member.token, { parentId: parent.globalId, position: { afterId: stranger.globalId } });
    expect(res.data.createTask.__typename).toBe('ValidationError');
    expect(res.data.createTask.issues[0].path).toEqual(['input', 'position', 'afterId']);
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('refuses a viewer with Forbidden and writes nothing', async () => {
    const before = await snapshotTasks(t);
    const res = await create(team.viewer.token, {});
    expect(res.data.createTask.__typename).toBe('ForbiddenError');
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('refuses tasks in an archived project', async () => {
    const archived = await createProjectRow(t, team.org.id, team.admin.id, { status: 'archived' });
    const res = await create(team.member.token, { projectId: archived.globalId });
    expect(res.data.createTask.__typename).toBe('ForbiddenError');
  });

  it("answers NotFound for another organization's project, parent, assignee or milestone", async () => {
    const foreignTask = await createTaskRow(t, { organizationId: other.org.id, projectId: otherProject.id, createdBy: other.admin.id });
    const foreignMilestone = await createMilestoneRow(t, { organizationId: other.org.id, projectId: otherProject.id, createdBy: other.admin.id });
    const before = await snapshotTasks(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ projectId: otherProject.globalId }, 'Project'],
      [{ parentId: foreignTask.globalId }, 'Task'],
      [{ assigneeId: globalId('User', other.member.id) }, 'User'],
      [{ assigneeId: globalId('User', team.outsider.id) }, 'User'],
      [{ milestoneId: foreignMilestone.globalId }, 'Milestone'],
    ];
    for (const [input, entity] of cases) {
      const res = await create(team.member.token, input);
      expect(res.data.createTask, JSON.stringify(input)).toMatchObject({ __typename: 'NotFoundError', entity });
    }
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('refuses a parent or milestone of another project in the same organization', async () => {
    const sibling = await createProjectRow(t, team.org.id, team.admin.id);
    const elsewhere = await createTaskRow(t, { organizationId: team.org.id, projectId: sibling.id, createdBy: team.member.id });
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: sibling.id, createdBy: team.member.id });
    const parent = await create(team.member.token, { parentId: elsewhere.globalId });
    expect(parent.data.createTask.issues[0].path).toEqual(['input', 'parentId']);
    const ms = await create(team.member.token, { milestoneId: milestone.globalId });
    expect(ms.data.createTask.issues[0].path).toEqual(['input', 'milestoneId']);
  });

  it('validates lengths, estimate and metadata size with field paths', async () => {
    const before = await snapshotTasks(t);
    const cases: [Record<string, unknown>, string[]][] = [
      [{ title: '   ' }, ['input', 'title']],
      [{ title: 'x'.repeat(501) }, ['input', 'title']],
      [{ description: 'x'.repeat(50_001) }, ['input', 'description']],
      [{ estimateMinutes: -5 }, ['input', 'estimateMinutes']],
      [{ metadata: { blob: 'x'.repeat(17_000) } }, ['input', 'metadata']],
      [{ id: 'not-a-uuid' }, ['input', 'id']],
    ];
    for (const [input, path] of cases) {
      const res = await create(team.member.token, input);
      expect(res.data?.createTask?.__typename, JSON.stringify(res)).toBe('ValidationError');
      expect(res.data.createTask.issues[0].path).toEqual(path);
    }
    expect(await snapshotTasks(t)).toBe(before);
  });

  it('returns the same task when a create is retried with its client id', async () => {
    const id = '0190f5d2-2222-7000-8000-000000000001';
    const first = await create(team.member.token, { id, title: 'Once' });
    const second = await create(team.member.token, { id, title: 'Once' });
    expect(first.data.createTask.task.id).toBe(globalId('Task', id));
    expect(second.data.createTask.task).toEqual(first.data.createTask.task);
    const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from tasks where id = ${id}`);
    expect(row!.n).toBe(1);
    const stolen = await create(team.admin.token, { id, title: 'Mine' });
    expect(stolen.data.createTask.__typename).toBe('ConflictError');
  });
});
