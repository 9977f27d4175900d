import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createOrganization, createTeam, createUser, globalId, uniqueSuffix, type TestUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { countRows, membershipOf } from '../../support/org-fixtures';

const ERROR_FIELDS = /* GraphQL */ `
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
  ... on LimitExceededError { limit max }
`;

const INVITE = /* GraphQL */ `
  mutation Invite($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      __typename
      ... on InviteMemberSuccess { token invitation { id email role status expiresAt invitedBy { id } } }
      ${ERROR_FIELDS}
    }
  }
`;

const ACCEPT = /* GraphQL */ `
  mutation Accept($token: String!) {
    acceptInvitation(token: $token) {
      __typename
      ... on AcceptInvitationSuccess { member { role invitedBy { id } organization { id viewerRole name } } }
      ${ERROR_FIELDS}
    }
  }
`;

const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeInvitation(id: $id) {
      __typename
      ... on RevokeInvitationSuccess { invitation { status } }
      ${ERROR_FIELDS}
    }
  }
`;

const PENDING = /* GraphQL */ `
  query Pending($id: ID!) {
    node(id: $id) { ... on Organization { pendingInvitations { edges { node { email role } } } } }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

type Team = Awaited<ReturnType<typeof createTeam>>;

const invite = (as: TestUser, email: string, role = 'MEMBER', org: Team['org'] = team.org) =>
  t.graphql(INVITE, { token: as.token, variables: { input: { organizationId: org.globalId, email, role } } });

const accept = (as: TestUser, token: string) => t.graphql(ACCEPT, { token: as.token, variables: { token } });

const invitationsOf = (organizationId: string) => countRows(t, sql`select 1 from invitations where organization_id = ${organizationId}`);

describe('inviteMember', () => {
  it('lets an admin invite, returning a token that names the organization; only its hash is stored', async () => {
    const email = `new-${uniqueSuffix()}@example.com`;
    const res = await invite(team.admin, email, 'ADMIN');
    expect(res.errors).toBeUndefined();
    const { token, invitation } = res.data.inviteMember;
    expect(token).toMatch(new RegExp(`^tgi_${team.org.id.replaceAll('-', '')}\\.[A-Za-z0-9_-]{43}$`));
    expect(invitation).toMatchObject({ email, role: 'ADMIN', status: 'PENDING', invitedBy: { id: globalId('User', team.admin.id) } });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const [row] = await t.owner.db.execute<{ token_hash: string }>(sql`select token_hash from invitations where email = ${email}`);
    expect(row!.token_hash).not.toContain(token.split('.')[1]);
    expect(row!.token_hash).toHaveLength(43);
  });

  it.each(['member', 'viewer'] as const)('refuses a %s (Forbidden), writing nothing', async (role) => {
    const before = await invitationsOf(team.org.id);
    const res = await invite(team[role], `nope-${uniqueSuffix()}@example.com`);
    expect(res.data.inviteMember.__typename).toBe('ForbiddenError');
    expect(await invitationsOf(team.org.id)).toBe(before);
  });

  it('lets only an owner invite an owner', async () => {
    const before = await invitationsOf(team.org.id);
    expect((await invite(team.admin, `owner-${uniqueSuffix()}@example.com`, 'OWNER')).data.inviteMember.__typename).toBe('ForbiddenError');
    expect(await invitationsOf(team.org.id)).toBe(before);
    expect((await invite(team.owner, `owner-${uniqueSuffix()}@example.com`, 'OWNER')).data.inviteMember.__typename).toBe('InviteMemberSuccess');
  });

  it('answers NotFound to an outsider', async () => {
    const res = await invite(team.outsider, `x-${uniqueSuffix()}@example.com`);
    expect(res.data.inviteMember.__typename).toBe('NotFoundError');
  });

  it('refuses a second pending invitation for the same email, whatever its case', async () => {
    const email = `twice-${uniqueSuffix()}@example.com`;
    await invite(team.admin, email);
    const before = await invitationsOf(team.org.id);
    const res = await invite(team.admin, email.toUpperCase());
    expect(res.data.inviteMember.issues).toEqual([{ path: ['input', 'email'], message: 'already has a pending invitation' }]);
    expect(await invitationsOf(team.org.id)).toBe(before);
  });

  it('replaces an expired invitation for the same email', async () => {
    const email = `late-${uniqueSuffix()}@example.com`;
    await invite(team.admin, email);
    await t.owner.db.execute(sql`update invitations set expires_at = now() - interval '1 day' where email = ${email}`);
    const res = await invite(team.admin, email);
    expect(res.data.inviteMember.__typename).toBe('InviteMemberSuccess');
  });

  it('refuses to invite someone who is already a member', async () => {
    const res = await invite(team.admin, team.member.email.toUpperCase());
    expect(res.data.inviteMember.issues).toEqual([{ path: ['input', 'email'], message: 'is already a member' }]);
  });

  it('refuses a malformed email with its path', async () => {
    const res = await invite(team.admin, 'not-an-email');
    expect(res.data.inviteMember.issues).toEqual([{ path: ['input', 'email'], message: 'is not a valid email address' }]);
  });

  it("counts pending invitations against the free plan's member limit", async () => {
    const small = await createTeam(t, { planId: 'free' }); // 4 members
    const results: string[] = [];
    for (let i = 0; i < 7; i++) results.push((await invite(small.admin, `seat-${i}-${uniqueSuffix()}@example.com`, 'MEMBER', small.org)).data.inviteMember.__typename);
    expect(results.slice(0, 6).every((r) => r === 'InviteMemberSuccess')).toBe(true);
    expect(results[6]).toBe('LimitExceededError');
    expect(await invitationsOf(small.org.id)).toBe(6);
  });
});

describe('acceptInvitation', () => {
  it('makes the invitee a member with the invited role, and lets them see the organization at once', async () => {
    const invitee = await createUser(t);
    const { token } = (await invite(team.admin, invitee.email.toUpperCase(), 'VIEWER')).data.inviteMember;
    const res = await accept(invitee, token);
    expect(res.errors).toBeUndefined();
    expect(res.data.acceptInvitation.member).toMatchObject({
      role: 'VIEWER',
      invitedBy: { id: globalId('User', team.admin.id) },
      organization: { id: team.org.globalId, viewerRole: 'VIEWER' },
    });
    expect(await membershipOf(t, team.org.id, invitee.id)).toMatchObject({ role: 'viewer', deleted_at: null, invited_by: team.admin.id });
    const [row] = await t.owner.db.execute<{ accepted_by: string }>(sql`select accepted_by from invitations where lower(email) = ${invitee.email}`);
    expect(row!.accepted_by).toBe(invitee.id);

    const again = await accept(invitee, token);
    expect(again.data.acceptInvitation.issues[0]).toMatchObject({ path: ['token'], message: 'This invitation has already been used' });
  });

  it('refuses a user with another email, writing nothing', async () => {
    const invitee = await createUser(t);
    const intruder = await createUser(t);
    const { token } = (await invite(team.admin, invitee.email)).data.inviteMember;
    const res = await accept(intruder, token);
    expect(res.data.acceptInvitation.__typename).toBe('ForbiddenError');
    expect(JSON.stringify(res.data)).not.toContain(invitee.email);
    expect(await membershipOf(t, team.org.id, intruder.id)).toBeUndefined();
    expect(await countRows(t, sql`select 1 from invitations where email = ${invitee.email} and accepted_at is null`)).toBe(1);
  });

  it('refuses an expired invitation', async () => {
    const invitee = await createUser(t);
    const { token } = (await invite(team.admin, invitee.email)).data.inviteMember;
    await t.owner.db.execute(sql`update invitations set expires_at = now() - interval '1 second' where email = ${invitee.email}`);
    const res = await accept(invitee, token);
    expect(res.data.acceptInvitation.issues[0]).toMatchObject({ path: ['token'], message: 'This invitation has expired' });
    expect(await membershipOf(t, team.org.id, invitee.id)).toBeUndefined();
  });

  it('answers NotFound for unknown, forged, malformed and revoked tokens', async () => {
    const invitee = await createUser(t);
    const { token, invitation } = (await invite(team.admin, invitee.email)).data.inviteMember;
    const otherOrg = await createOrganization(t, team.owner);
    const forged = token.replace(team.org.id.replaceAll('-', ''), otherOrg.id.replaceAll('-', ''));
    const wrongSecret = `${token.slice(0, -4)}AAAA`;
    for (const bad of [forged, wrongSecret, 'tgi_garbage', '']) {
      expect((await accept(invitee, bad)).data.acceptInvitation.__typename).toBe('NotFoundError');
    }
    expect((await t.graphql(REVOKE, { token: team.admin.token, variables: { id: invitation.id } })).data.revokeInvitation.invitation).toEqual({
      status: 'REVOKED',
    });
    expect((await accept(invitee, token)).data.acceptInvitation.__typename).toBe('NotFoundError');
    expect(await membershipOf(t, team.org.id, invitee.id)).toBeUndefined();
  });

  it('answers NotFound once the organization is deleted', async () => {
    const org = await createTeam(t);
    const invitee = await createUser(t);
    const { token } = (await invite(org.admin, invitee.email, 'MEMBER', org.org)).data.inviteMember;
    const deleted = await t.graphql(`mutation($id: ID!) { deleteOrganization(id: $id) { __typename } }`, {
      token: org.owner.token,
      variables: { id: org.org.globalId },
    });
    expect(deleted.data.deleteOrganization.__typename).toBe('DeleteOrganizationSuccess');
    expect((await accept(invitee, token)).data.acceptInvitation.__typename).toBe('NotFoundError');
    expect(await membershipOf(t, org.org.id, invitee.id)).toBeUndefined();
  });

  it('restores a removed membership with the newly invited role', async () => {
    const org = await createTeam(t);
    const removeMutation = /* GraphQL */ `mutation($o: ID!, $u: ID!) { removeMember(organizationId: $o, userId: $u) { __typename } }`;
    await t.graphql(removeMutation, { token: org.admin.token, variables: { o: org.org.globalId, u: globalId('User', org.member.id) } });
    expect((await membershipOf(t, org.org.id, org.member.id))!.deleted_at).not.toBeNull();
    const { token } = (await invite(org.admin, org.member.email, 'ADMIN', org.org)).data.inviteMember;
    const res = await accept(org.member, token);
    expect(res.data.acceptInvitation.member.role).toBe('ADMIN');
    expect(await membershipOf(t, org.org.id, org.member.id)).toMatchObject({ role: 'admin', deleted_at: null });
  });

  it('needs a signed-in user', async () => {
    const { token } = (await invite(team.admin, `anon-${uniqueSuffix()}@example.com`)).data.inviteMember;
    const res = await t.graphql(ACCEPT, { variables: { token } });
    expect(res.data.acceptInvitation.__typename).toBe('UnauthenticatedError');
  });
});

describe('pendingInvitations and revokeInvitation', () => {
  it('lists pending invitations to admins only', async () => {
    const org = await createTeam(t);
    const email = `pending-${uniqueSuffix()}@example.com`;
    await invite(org.admin, email, 'MEMBER', org.org);
    const asAdmin = await t.graphql(PENDING, { token: org.admin.token, variables: { id: org.org.globalId } });
    expect(asAdmin.data.node.pendingInvitations.edges).toEqual([{ node: { email, role: 'MEMBER' } }]);
    const asMember = await t.graphql(PENDING, { token: org.member.token, variables: { id: org.org.globalId } });
    expect(asMember.data.node.pendingInvitations).toBeNull();
    expect(asMember.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets an admin revoke, not a member; an owner invitation needs an owner', async () => {
    const org = await createTeam(t);
    const plain = (await invite(org.admin, `r-${uniqueSuffix()}@example.com`, 'MEMBER', org.org)).data.inviteMember.invitation;
    const owner = (await invite(org.owner, `o-${uniqueSuffix()}@example.com`, 'OWNER', org.org)).data.inviteMember.invitation;
    const revoke = (as: TestUser, id: string) => t.graphql(REVOKE, { token: as.token, variables: { id } });
    expect((await revoke(org.member, plain.id)).data.revokeInvitation.__typename).toBe('ForbiddenError');
    expect((await revoke(org.admin, owner.id)).data.revokeInvitation.__typename).toBe('ForbiddenError');
    expect(await countRows(t, sql`select 1 from invitations where organization_id = ${org.org.id} and revoked`)).toBe(0);
    expect((await revoke(org.outsider, plain.id)).data.revokeInvitation.__typename).toBe('NotFoundError');
    expect((await revoke(org.admin, plain.id)).data.revokeInvitation.invitation.status).toBe('REVOKED');
    expect((await revoke(org.admin, plain.id)).data.revokeInvitation.__typename).toBe('ValidationError');
    expect((await revoke(org.owner, owner.id)).data.revokeInvitation.invitation.status).toBe('REVOKED');
  });

  it('hides an invitation node from non-admins', async () => {
    const org = await createTeam(t);
    const { invitation } = (await invite(org.admin, `n-${uniqueSuffix()}@example.com`, 'MEMBER', org.org)).data.inviteMember;
    const query = /* GraphQL */ `query($id: ID!) { node(id: $id) { ... on Invitation { email } } }`;
    expect((await t.graphql(query, { token: org.admin.token, variables: { id: invitation.id } })).data.node.email).toBeDefined();
    expect((await t.graphql(query, { token: org.member.token, variables: { id: invitation.id } })).data.node).toBeNull();
    expect((await t.graphql(query, { token: org.outsider.token, variables: { id: invitation.id } })).data.node).toBeNull();
  });
});
