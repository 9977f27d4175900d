import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addMember, createTeam, createUser, globalId, type TestUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { countRows, membershipOf } from '../../support/org-fixtures';

const ERROR_FIELDS = /* GraphQL */ `
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
`;

const MEMBERS = /* GraphQL */ `
  query Members($id: ID!, $first: Int, $after: String) {
    node(id: $id) {
      ... on Organization {
        members(first: $first, after: $after) {
          edges { node { id role user { id } invitedBy { id } viewerCan { changeRole remove } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`;

const CHANGE_ROLE = /* GraphQL */ `
  mutation ChangeRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      __typename
      ... on ChangeMemberRoleSuccess { member { role user { id } organization { viewerRole } } }
      ${ERROR_FIELDS}
    }
  }
`;

const REMOVE = /* GraphQL */ `
  mutation Remove($organizationId: ID!, $userId: ID!) {
    removeMember(organizationId: $organizationId, userId: $userId) {
      __typename
      ... on RemoveMemberSuccess { member { role user { id } } }
      ${ERROR_FIELDS}
    }
  }
`;

const LEAVE = /* GraphQL */ `
  mutation Leave($organizationId: ID!) {
    leaveOrganization(organizationId: $organizationId) {
      __typename
      ... on LeaveOrganizationSuccess { organizationId }
      ${ERROR_FIELDS}
    }
  }
`;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

type Team = Awaited<ReturnType<typeof createTeam>>;

const changeRole = (as: TestUser, team: Team, target: TestUser, role: string) =>
  t.graphql(CHANGE_ROLE, {
    token: as.token,
    variables: { input: { organizationId: team.org.globalId, userId: globalId('User', target.id), role } },
  });

const remove = (as: TestUser, team: Team, target: TestUser) =>
  t.graphql(REMOVE, { token: as.token, variables: { organizationId: team.org.globalId, userId: globalId('User', target.id) } });

const roleOf = async (team: Team, user: TestUser) => (await membershipOf(t, team.org.id, user.id))?.role;

describe('Organization.members', () => {
  it('pages through the live members in the order they joined, without repeats', async () => {
    const team = await createTeam(t);
    const extra = await createUser(t);
    await addMember(t, team.org.id, extra, 'member');
    await t.owner.db.execute(sql`update organization_members set deleted_at = now() where user_id = ${extra.id}`);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res: any = await t.graphql(MEMBERS, { token: team.viewer.token, variables: { id: team.org.globalId, first: 3, after } });
      expect(res.errors).toBeUndefined();
      const connection = res.data.node.members;
      seen.push(...connection.edges.map((e: any) => e.node.user.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const expected = [team.owner, team.admin, team.member, team.viewer].map((u) => globalId('User', u.id));
    expect(seen).toEqual(expected);
  });

  it("tells each viewer what they may do with each member", async () => {
    const team = await createTeam(t);
    const byUser = async (as: TestUser) => {
      const res = await t.graphql(MEMBERS, { token: as.token, variables: { id: team.org.globalId } });
      return Object.fromEntries(res.data.node.members.edges.map((e: any) => [e.node.role, e.node.viewerCan]));
    };
    expect(await byUser(team.owner)).toEqual({
      OWNER: { changeRole: true, remove: false }, // themselves: leaveOrganization
      ADMIN: { changeRole: true, remove: true },
      MEMBER: { changeRole: true, remove: true },
      VIEWER: { changeRole: true, remove: true },
    });
    expect(await byUser(team.admin)).toMatchObject({ OWNER: { changeRole: false, remove: false }, MEMBER: { changeRole: true, remove: true } });
    expect(await byUser(team.member)).toMatchObject({ VIEWER: { changeRole: false, remove: false } });
  });

  it('refetches a member by its node id, and hides it from outsiders', async () => {
    const team = await createTeam(t);
    const res = await t.graphql(MEMBERS, { token: team.member.token, variables: { id: team.org.globalId, first: 1 } });
    const memberId = res.data.node.members.edges[0].node.id;
    expect(memberId).toBe(globalId('Member', `${team.org.id}:${team.owner.id}`));
    const query = /* GraphQL */ `query($id: ID!) { node(id: $id) { ... on Member { role } } }`;
    expect((await t.graphql(query, { token: team.member.token, variables: { id: memberId } })).data.node).toEqual({ role: 'OWNER' });
    expect((await t.graphql(query, { token: team.outsider.token, variables: { id: memberId } })).data.node).toBeNull();
    expect((await t.graphql(query, { token: team.member.token, variables: { id: globalId('Member', 'garbage') } })).data.node).toBeNull();
  });
});

describe('changeMemberRole', () => {
  it('lets an admin promote a member to admin and demote an admin', async () => {
    const team = await createTeam(t);
    expect((await changeRole(team.admin, team, team.member, 'ADMIN')).data.changeMemberRole.member.role).toBe('ADMIN');
    expect((await changeRole(team.admin, team, team.member, 'VIEWER')).data.changeMemberRole.member.role).toBe('VIEWER');
    expect(await roleOf(team, team.member)).toBe('viewer');
  });

  it.each([
    ['member', 'viewer', 'MEMBER'],
    ['viewer', 'member', 'ADMIN'],
  ] as const)('refuses a %s changing roles (Forbidden), writing nothing', async (actor, target, role) => {
    const team = await createTeam(t);
    const res = await changeRole(team[actor], team, team[target], role);
    expect(res.data.changeMemberRole.__typename).toBe('ForbiddenError');
    expect(await roleOf(team, team[target])).toBe(target);
  });

  it('refuses an admin making an owner, or changing an owner', async () => {
    const team = await createTeam(t);
    expect((await changeRole(team.admin, team, team.member, 'OWNER')).data.changeMemberRole.__typename).toBe('ForbiddenError');
    expect((await changeRole(team.admin, team, team.admin, 'OWNER')).data.changeMemberRole.__typename).toBe('ForbiddenError');
    expect((await changeRole(team.admin, team, team.owner, 'MEMBER')).data.changeMemberRole.__typename).toBe('ForbiddenError');
    expect(await roleOf(team, team.member)).toBe('member');
    expect(await roleOf(team, team.admin)).toBe('admin');
    expect(await roleOf(team, team.owner)).toBe('owner');
  });

  it('lets an owner make another owner, who may then demote the first', async () => {
    const team = await createTeam(t);
    expect((await changeRole(team.owner, team, team.admin, 'OWNER')).data.changeMemberRole.member.role).toBe('OWNER');
    const res = await changeRole(team.admin, team, team.owner, 'ADMIN');
    expect(res.data.changeMemberRole.member.role).toBe('ADMIN');
    expect(await roleOf(team, team.owner)).toBe('admin');
  });

  it('refuses to demote the last owner, and the payload shows the role the viewer now has when they demote themselves', async () => {
    const team = await createTeam(t);
    const last = await changeRole(team.owner, team, team.owner, 'ADMIN');
    expect(last.data.changeMemberRole.__typename).toBe('ValidationError');
    expect(last.data.changeMemberRole.issues[0].path).toEqual(['input', 'role']);
    expect(await roleOf(team, team.owner)).toBe('owner');

    await changeRole(team.owner, team, team.admin, 'OWNER');
    const self = await changeRole(team.owner, team, team.owner, 'ADMIN');
    expect(self.data.changeMemberRole.member).toMatchObject({ role: 'ADMIN', organization: { viewerRole: 'ADMIN' } });
  });

  it('lets only one of two concurrent demotions of the two owners through', async () => {
    for (let round = 0; round < 3; round++) {
      const team = await createTeam(t);
      await changeRole(team.owner, team, team.admin, 'OWNER');
      const results = await Promise.all([
        changeRole(team.owner, team, team.owner, 'ADMIN'),
        changeRole(team.admin, team, team.admin, 'ADMIN'),
      ]);
      const typenames = results.map((r) => r.data.changeMemberRole.__typename).sort();
      expect(typenames).toEqual(['ChangeMemberRoleSuccess', 'ValidationError']);
      expect(await countRows(t, sql`select 1 from organization_members where organization_id = ${team.org.id} and role = 'owner'`)).toBe(1);
    }
  });

  it('answers NotFound to an outsider, and for a user who is not a member', async () => {
    const team = await createTeam(t);
    expect((await changeRole(team.outsider, team, team.member, 'ADMIN')).data.changeMemberRole.__typename).toBe('NotFoundError');
    const res = await changeRole(team.owner, team, team.outsider, 'ADMIN');
    expect(res.data.changeMemberRole).toMatchObject({ __typename: 'NotFoundError' });
    expect(await membershipOf(t, team.org.id, team.outsider.id)).toBeUndefined();
  });
});

describe('removeMember', () => {
  it('lets an admin remove a member; the membership is soft-deleted and gone from the list', async () => {
    const team = await createTeam(t);
    const res = await remove(team.admin, team, team.member);
    expect(res.data.removeMember.member).toEqual({ role: 'MEMBER', user: { id: globalId('User', team.member.id) } });
    expect((await membershipOf(t, team.org.id, team.member.id))!.deleted_at).not.toBeNull();
    const list = await t.graphql(MEMBERS, { token: team.owner.token, variables: { id: team.org.globalId } });
    expect(list.data.node.members.edges).toHaveLength(3);
    const after = await t.graphql(MEMBERS, { token: team.member.token, variables: { id: team.org.globalId } });
    expect(after.data.node).toBeNull();
  });

  it('refuses a member removing anyone and an admin removing an owner, writing nothing', async () => {
    const team = await createTeam(t);
    expect((await remove(team.member, team, team.viewer)).data.removeMember.__typename).toBe('ForbiddenError');
    expect((await remove(team.admin, team, team.owner)).data.removeMember.__typename).toBe('ForbiddenError');
    expect(await countRows(t, sql`select 1 from organization_members where organization_id = ${team.org.id} and deleted_at is null`)).toBe(4);
  });

  it('removes an owner only when another owner is left, and points the viewer at leaveOrganization for themselves', async () => {
    const team = await createTeam(t);
    const self = await remove(team.owner, team, team.owner);
    expect(self.data.removeMember.issues[0].path).toEqual(['userId']);
    expect((await membershipOf(t, team.org.id, team.owner.id))!.deleted_at).toBeNull();
    await changeRole(team.owner, team, team.admin, 'OWNER');
    expect((await remove(team.admin, team, team.owner)).data.removeMember.__typename).toBe('RemoveMemberSuccess');
    expect((await membershipOf(t, team.org.id, team.owner.id))!.deleted_at).not.toBeNull();
  });
});

describe('owner removals racing each other', () => {
  it('lets only one of two owners removing each other at the same time through', async () => {
    for (let round = 0; round < 3; round++) {
      const team = await createTeam(t);
      await changeRole(team.owner, team, team.admin, 'OWNER');
      const results = await Promise.all([remove(team.owner, team, team.admin), remove(team.admin, team, team.owner)]);
      const typenames = results.map((r) => r.data.removeMember.__typename).sort();
      expect(typenames).toEqual(['RemoveMemberSuccess', 'ValidationError']);
      expect(
        await countRows(t, sql`select 1 from organization_members where organization_id = ${team.org.id} and role = 'owner' and deleted_at is null`),
      ).toBe(1);
    }
  });
});

describe('leaveOrganization', () => {
  it('lets a member leave', async () => {
    const team = await createTeam(t);
    const res = await t.graphql(LEAVE, { token: team.member.token, variables: { organizationId: team.org.globalId } });
    expect(res.data.leaveOrganization).toEqual({ __typename: 'LeaveOrganizationSuccess', organizationId: team.org.globalId });
    expect((await membershipOf(t, team.org.id, team.member.id))!.deleted_at).not.toBeNull();
  });

  it('refuses the last owner, and answers NotFound to an outsider', async () => {
    const team = await createTeam(t);
    const owner = await t.graphql(LEAVE, { token: team.owner.token, variables: { organizationId: team.org.globalId } });
    expect(owner.data.leaveOrganization.__typename).toBe('ValidationError');
    expect((await membershipOf(t, team.org.id, team.owner.id))!.deleted_at).toBeNull();
    const outsider = await t.graphql(LEAVE, { token: team.outsider.token, variables: { organizationId: team.org.globalId } });
    expect(outsider.data.leaveOrganization.__typename).toBe('NotFoundError');
  });
});
