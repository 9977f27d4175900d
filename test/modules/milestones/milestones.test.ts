import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';

const RESULT = (name: string, success: string) => /* GraphQL */ `
  ${name} { __typename
    ... on ${success} { milestone { id name description dueDate deletedAt project { id } viewerCan { manage } } }
    ... on Error { code message }
    ... on ValidationError { issues { path message } }
    ... on NotFoundError { entity }
  }
`;
const CREATE = `mutation ($input: CreateMilestoneInput!) { ${RESULT('createMilestone(input: $input)', 'CreateMilestoneSuccess')} }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateMilestoneInput!) { ${RESULT('updateMilestone(id: $id, input: $input)', 'UpdateMilestoneSuccess')} }`;
const DELETE = `mutation ($id: ID!) { ${RESULT('deleteMilestone(id: $id)', 'DeleteMilestoneSuccess')} }`;
const RESTORE = `mutation ($id: ID!) { ${RESULT('restoreMilestone(id: $id)', 'RestoreMilestoneSuccess')} }`;

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

const countMilestones = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from milestones`);
  return row!.n;
};
const create = (token: string, input: Record<string, unknown>) =>
  t.graphql(CREATE, { token, variables: { input: { projectId: project.globalId, name: 'Beta', ...input } } });

describe('createMilestone', () => {
  it('lets a member create a milestone', async () => {
    const res = await create(team.member.token, { name: ' Beta ', description: 'First users', dueDate: '2030-04-01' });
    expect(res.data.createMilestone.milestone).toMatchObject({
      name: 'Beta',
      description: 'First users',
      dueDate: '2030-04-01',
      project: { id: project.globalId },
      viewerCan: { manage: true },
    });
  });

  it('refuses viewers, archived projects and other organizations, writing nothing', async () => {
    const archived = await createProjectRow(t, team.org.id, team.admin.id, { status: 'archived' });
    const foreign = await createProjectRow(t, other.org.id, other.admin.id);
    const before = await countMilestones();
    expect((await create(team.viewer.token, {})).data.createMilestone.__typename).toBe('ForbiddenError');
    expect((await create(team.member.token, { projectId: archived.globalId })).data.createMilestone.__typename).toBe('ForbiddenError');
    expect((await create(team.member.token, { projectId: foreign.globalId })).data.createMilestone).toMatchObject({
      __typename: 'NotFoundError',
      entity: 'Project',
    });
    expect(await countMilestones()).toBe(before);
  });

  it('names the invalid field', async () => {
    const res = await create(team.member.token, { name: '' });
    expect(res.data.createMilestone.issues[0].path).toEqual(['input', 'name']);
    const long = await create(team.member.token, { description: 'x'.repeat(20_001) });
    expect(long.data.createMilestone.issues[0].path).toEqual(['input', 'description']);
  });

  it('is idempotent with a client id', async () => {
    const id = '0190f5d2-5555-7000-8000-000000000001';
    const first = await create(team.member.token, { id });
    const second = await create(team.member.token, { id });
    expect(second.data.createMilestone.milestone.id).toBe(globalId('Milestone', id));
    expect(second.data.createMilestone.milestone).toEqual(first.data.createMilestone.milestone);
  });
});

describe('updateMilestone / deleteMilestone / restoreMilestone', () => {
  it('updates fields and clears the due date with null', async () => {
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id, dueDate: '2030-01-01' });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: milestone.globalId, input: { name: 'GA', dueDate: null } } });
    expect(res.data.updateMilestone.milestone).toMatchObject({ name: 'GA', dueDate: null });
  });

  it('hides a deleted milestone from its tasks and the project, and brings it back on restore', async () => {
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id });
    const task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id, milestoneId: milestone.id });
    const read = () =>
      t.graphql(`query ($task: ID!, $project: ID!) { task: node(id: $task) { ... on Task { milestone { id } } } project: node(id: $project) { ... on Project { milestones { id } } } }`, {
        token: team.viewer.token,
        variables: { task: task.globalId, project: project.globalId },
      });
    const deleted = await t.graphql(DELETE, { token: team.member.token, variables: { id: milestone.globalId } });
    expect(deleted.data.deleteMilestone.milestone.deletedAt).not.toBeNull();
    const hidden = await read();
    expect(hidden.data.task.milestone).toBeNull();
    expect(hidden.data.project.milestones.map((m: any) => m.id)).not.toContain(milestone.globalId);
    await t.graphql(RESTORE, { token: team.member.token, variables: { id: milestone.globalId } });
    const back = await read();
    expect(back.data.task.milestone).toEqual({ id: milestone.globalId });
    expect(back.data.project.milestones.map((m: any) => m.id)).toContain(milestone.globalId);
  });

  it('refuses viewers and other organizations', async () => {
    const milestone = await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id, name: 'Keep' });
    const asViewer = await t.graphql(UPDATE, { token: team.viewer.token, variables: { id: milestone.globalId, input: { name: 'X' } } });
    expect(asViewer.data.updateMilestone.__typename).toBe('ForbiddenError');
    const asOutsider = await t.graphql(DELETE, { token: other.owner.token, variables: { id: milestone.globalId } });
    expect(asOutsider.data.deleteMilestone.__typename).toBe('NotFoundError');
    const [row] = await t.owner.db.execute<{ name: string; deleted_at: Date | null }>(sql`select name, deleted_at from milestones where id = ${milestone.id}`);
    expect(row).toEqual({ name: 'Keep', deleted_at: null });
  });
});

describe('Project.milestones', () => {
  it('lists live milestones soonest first, undated last', async () => {
    const fresh = await createProjectRow(t, team.org.id, team.admin.id);
    const base = { organizationId: team.org.id, projectId: fresh.id, createdBy: team.admin.id };
    const undated = await createMilestoneRow(t, { ...base, name: 'Someday' });
    const later = await createMilestoneRow(t, { ...base, dueDate: '2030-09-01' });
    const sooner = await createMilestoneRow(t, { ...base, dueDate: '2030-02-01' });
    await createMilestoneRow(t, { ...base, deletedAt: new Date() });
    const res = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on Project { milestones { id } } } }`, {
      token: team.viewer.token,
      variables: { id: fresh.globalId },
    });
    expect(res.data.node.milestones.map((m: any) => m.id)).toEqual([sooner.globalId, later.globalId, undated.globalId]);
  });
});
