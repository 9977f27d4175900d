import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTeam, createUser, globalId, addMember, uniqueSuffix } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow } from '../../support/task-fixtures';
import { activityRows, clearActivity, ERROR_FIELDS, mutate } from './activity-support';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());
beforeEach(() => clearActivity(t));

const result = (call: string, success: string, extra = '') => `${call} { __typename ... on ${success} { ${extra || '__typename'} } ${ERROR_FIELDS} }`;
const rawId = (global: string) => Buffer.from(global, 'base64').toString().split(':').slice(1).join(':');

describe('project activity', () => {
  it('records created, updated (from → to), archived, unarchived, deleted and restored', async () => {
    const created = await mutate(t, team.admin, 'createProject', `mutation ($input: CreateProjectInput!) {
      ${result('createProject(input: $input)', 'CreateProjectSuccess', 'project { id }')} }`, { input: { organizationId: team.org.globalId, name: 'Alpha' } });
    const id = created.project.id as string;
    const projectId = rawId(id);
    await mutate(t, team.admin, 'updateProject', `mutation ($id: ID!) { ${result('updateProject(id: $id, input: { name: "Beta" })', 'UpdateProjectSuccess')} }`, { id });
    for (const op of ['archiveProject', 'unarchiveProject', 'deleteProject', 'restoreProject']) {
      const res = await mutate(t, team.admin, op, `mutation ($id: ID!) { ${op}(id: $id) { __typename } }`, { id });
      expect(res.__typename).toMatch(/Success$/);
    }
    const events = await activityRows(t);
    expect(events.map((e) => e.verb)).toEqual([
      'project.created', 'project.updated', 'project.archived', 'project.unarchived', 'project.deleted', 'project.restored',
    ]);
    for (const event of events) expect(event).toMatchObject({ actor_id: team.admin.id, subject_type: 'project', subject_id: projectId, project_id: projectId });
    expect(events[1]!.changes).toEqual({ name: { from: 'Alpha', to: 'Beta' } });
    expect(events[2]!.changes).toEqual({ status: { from: 'active', to: 'archived' } });
  });

  it('a refused change writes nothing', async () => {
    const project = await createProjectRow(t, team.org.id, team.owner.id);
    const res = await mutate(t, team.member, 'archiveProject', `mutation ($id: ID!) { archiveProject(id: $id) { __typename } }`, { id: project.globalId });
    expect(res.__typename).toBe('ForbiddenError');
    expect(await activityRows(t)).toEqual([]);
  });
});

describe('milestone activity', () => {
  it('records created, updated, deleted and restored in the project feed', async () => {
    const project = await createProjectRow(t, team.org.id, team.owner.id);
    const created = await mutate(t, team.member, 'createMilestone', `mutation ($input: CreateMilestoneInput!) {
      ${result('createMilestone(input: $input)', 'CreateMilestoneSuccess', 'milestone { id }')} }`, { input: { projectId: project.globalId, name: 'M1' } });
    const id = created.milestone.id as string;
    await mutate(t, team.member, 'updateMilestone', `mutation ($id: ID!) { updateMilestone(id: $id, input: { dueDate: "2030-01-31" }) { __typename } }`, { id });
    await mutate(t, team.member, 'deleteMilestone', `mutation ($id: ID!) { deleteMilestone(id: $id) { __typename } }`, { id });
    await mutate(t, team.member, 'restoreMilestone', `mutation ($id: ID!) { restoreMilestone(id: $id) { __typename } }`, { id });
    const events = await activityRows(t);
    expect(events.map((e) => e.verb)).toEqual(['milestone.created', 'milestone.updated', 'milestone.deleted', 'milestone.restored']);
    for (const event of events) expect(event).toMatchObject({ subject_type: 'milestone', subject_id: rawId(id), project_id: project.id, actor_id: team.member.id });
    expect(events[1]!.changes).toEqual({ dueDate: { from: null, to: '2030-01-31' } });
  });
});

describe('member activity', () => {
  it('records role changes (from → to), removals and leaving', async () => {
    const person = await createUser(t);
    await addMember(t, team.org.id, person, 'viewer');
    const leaver = await createUser(t);
    await addMember(t, team.org.id, leaver, 'member');
    const change = await mutate(t, team.admin, 'changeMemberRole', `mutation ($input: ChangeMemberRoleInput!) { changeMemberRole(input: $input) { __typename } }`, {
      input: { organizationId: team.org.globalId, userId: globalId('User', person.id), role: 'MEMBER' },
    });
    expect(change.__typename).toBe('ChangeMemberRoleSuccess');
    await mutate(t, team.admin, 'removeMember', `mutation ($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) { __typename } }`, {
      o: team.org.globalId,
      u: globalId('User', person.id),
    });
    await mutate(t, leaver, 'leaveOrganization', `mutation ($o: ID!) { leaveOrganization(organizationId: $o) { __typename } }`, { o: team.org.globalId });
    expect((await activityRows(t)).map((e) => [e.verb, e.actor_id, e.subject_type, e.subject_id, e.changes])).toEqual([
      ['member.role_changed', team.admin.id, 'member', person.id, { role: { from: 'viewer', to: 'member' } }],
      ['member.removed', team.admin.id, 'member', person.id, { role: { from: 'member', to: null } }],
      ['member.left', leaver.id, 'member', leaver.id, {}],
    ]);
  });

  it('records member.joined when an invitation is accepted', async () => {
    const email = `joiner-${uniqueSuffix()}@example.com`;
    const invited = await mutate(t, team.admin, 'inviteMember', `mutation ($input: InviteMemberInput!) {
      ${result('inviteMember(input: $input)', 'InviteMemberSuccess', 'token')} }`, { input: { organizationId: team.org.globalId, email, role: 'MEMBER' } });
    const joiner = await createUser(t, { email });
    const accepted = await mutate(t, joiner, 'acceptInvitation', `mutation ($token: String!) { acceptInvitation(token: $token) { __typename } }`, { token: invited.token });
    expect(accepted.__typename).toBe('AcceptInvitationSuccess');
    expect((await activityRows(t)).map((e) => [e.verb, e.actor_id, e.subject_id, e.changes])).toEqual([
      ['member.joined', joiner.id, joiner.id, { role: { from: null, to: 'member' } }],
    ]);
  });

  it('the last owner refused: nothing written', async () => {
    const res = await mutate(t, team.owner, 'leaveOrganization', `mutation ($o: ID!) { leaveOrganization(organizationId: $o) { __typename } }`, { o: team.org.globalId });
    expect(res.__typename).toBe('ValidationError');
    expect(await activityRows(t)).toEqual([]);
  });
});

describe('organization activity', () => {
  it('records created, updated (from → to) and plan_changed; a refused plan change writes nothing', async () => {
    const created = await mutate(t, team.member, 'createOrganization', `mutation ($input: CreateOrganizationInput!) {
      ${result('createOrganization(input: $input)', 'CreateOrganizationSuccess', 'organization { id }')} }`, { input: { name: 'Side project' } });
    const orgId = rawId(created.organization.id);
    expect(await activityRows(t)).toEqual([
      { verb: 'organization.created', actor_id: team.member.id, subject_type: 'organization', subject_id: orgId, project_id: null, task_id: null, changes: {} },
    ]);
    await clearActivity(t);

    await mutate(t, team.admin, 'updateOrganization', `mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Renamed" }) { __typename } }`, { id: team.org.globalId });
    const refused = await mutate(t, team.admin, 'changePlan', `mutation ($id: ID!) { changePlan(id: $id, plan: "enterprise") { __typename } }`, { id: team.org.globalId });
    expect(refused.__typename).toBe('ForbiddenError');
    await mutate(t, team.owner, 'changePlan', `mutation ($id: ID!) { changePlan(id: $id, plan: "enterprise") { __typename } }`, { id: team.org.globalId });
    const events = await activityRows(t);
    expect(events.map((e) => [e.verb, e.actor_id, e.subject_id])).toEqual([
      ['organization.updated', team.admin.id, team.org.id],
      ['organization.plan_changed', team.owner.id, team.org.id],
    ]);
    expect(events[0]!.changes.name!.to).toBe('Renamed');
    expect(events[1]!.changes).toEqual({ planId: { from: 'team', to: 'enterprise' } });
  });
});

