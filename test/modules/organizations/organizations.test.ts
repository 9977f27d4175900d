import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addMember, createOrganization, createTeam, createUser, globalId, uniqueSuffix } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { countRows, membershipOf } from '../../support/org-fixtures';

const ERROR_FIELDS = /* GraphQL */ `
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
  ... on LimitExceededError { limit max }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateOrganizationInput!) {
    createOrganization(input: $input) {
      __typename
      ... on CreateOrganizationSuccess { organization { id name slug plan viewerRole viewerCan { manageBilling delete } } }
      ${ERROR_FIELDS}
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateOrganizationInput!) {
    updateOrganization(id: $id, input: $input) {
      __typename
      ... on UpdateOrganizationSuccess { organization { name slug settings } }
      ${ERROR_FIELDS}
    }
  }
`;

const CHANGE_PLAN = /* GraphQL */ `
  mutation ChangePlan($id: ID!, $plan: String!) {
    changePlan(id: $id, plan: $plan) {
      __typename
      ... on ChangePlanSuccess { organization { plan } }
      ${ERROR_FIELDS}
    }
  }
`;

const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!) {
    deleteOrganization(id: $id) {
      __typename
      ... on DeleteOrganizationSuccess { deletedOrganizationId }
      ${ERROR_FIELDS}
    }
  }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) { node(id: $id) { id ... on Organization { name } } }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

const organizationRow = async (id: string) => {
  const [row] = await t.owner.db.execute<{ name: string; slug: string; plan_id: string; settings: Record<string, unknown>; deleted_at: Date | null }>(
    sql`select name, slug, plan_id, settings, deleted_at from organizations where id = ${id}`,
  );
  return row;
};

describe('createOrganization', () => {
  it('makes the creator its owner, on the free plan, and lets them use it in the same response', async () => {
    const user = await createUser(t);
    const slug = `acme-${uniqueSuffix()}`;
    const res = await t.graphql(CREATE, { token: user.token, variables: { input: { name: 'Acme', slug } } });
    expect(res.errors).toBeUndefined();
    const organization = res.data.createOrganization.organization;
    expect(organization).toMatchObject({ name: 'Acme', slug, plan: 'free', viewerRole: 'OWNER', viewerCan: { manageBilling: true, delete: true } });
    const id = Buffer.from(organization.id, 'base64').toString().split(':')[1]!;
    expect(await membershipOf(t, id, user.id)).toMatchObject({ role: 'owner', deleted_at: null });
  });

  it('derives the slug from the name, and picks another one when that is taken', async () => {
    const user = await createUser(t);
    const name = `Café Ünited ${uniqueSuffix()}!`;
    const first = await t.graphql(CREATE, { token: user.token, variables: { input: { name } } });
    const expected = name.toLowerCase().replace('café ünited ', 'cafe-united-').replace('!', '');
    expect(first.data.createOrganization.organization.slug).toBe(expected);
    const second = await t.graphql(CREATE, { token: user.token, variables: { input: { name } } });
    expect(second.data.createOrganization.__typename).toBe('CreateOrganizationSuccess');
    expect(second.data.createOrganization.organization.slug).toMatch(new RegExp(`^${expected}-[0-9a-f]{6}$`));
  });

  it('refuses a slug that is taken, even by an organization the user cannot see, and writes nothing', async () => {
    const user = await createUser(t);
    const before = await countRows(t, sql`select 1 from organizations`);
    const res = await t.graphql(CREATE, { token: user.token, variables: { input: { name: 'Copycat', slug: team.org.slug } } });
    expect(res.data.createOrganization.__typename).toBe('ValidationError');
    expect(res.data.createOrganization.issues).toEqual([{ path: ['input', 'slug'], message: 'is already taken' }]);
    expect(await countRows(t, sql`select 1 from organizations`)).toBe(before);
    expect(await countRows(t, sql`select 1 from organization_members where user_id = ${user.id}`)).toBe(0);
  });

  it.each(['ab', 'Upper-Case', '-dash-first', 'two--dashes', 'x'.repeat(49), 'spaces here'])('refuses the slug %j', async (slug) => {
    const user = await createUser(t);
    const res = await t.graphql(CREATE, { token: user.token, variables: { input: { name: 'Valid name', slug } } });
    expect(res.data.createOrganization.__typename).toBe('ValidationError');
    expect(res.data.createOrganization.issues[0].path).toEqual(['input', 'slug']);
  });

  it('refuses an empty name', async () => {
    const user = await createUser(t);
    const res = await t.graphql(CREATE, { token: user.token, variables: { input: { name: '  ' } } });
    expect(res.data.createOrganization.issues[0].path).toEqual(['input', 'name']);
  });

  it('returns the same organization when retried with the same client id, and refuses the id to someone else', async () => {
    const user = await createUser(t);
    const id = '0190f5d2-2222-7000-8000-000000000001';
    const input = { id, name: 'Retry Inc' };
    const first = await t.graphql(CREATE, { token: user.token, variables: { input } });
    const second = await t.graphql(CREATE, { token: user.token, variables: { input } });
    expect(first.data.createOrganization.organization.id).toBe(globalId('Organization', id));
    expect(second.data.createOrganization.organization).toEqual(first.data.createOrganization.organization);
    expect(await countRows(t, sql`select 1 from organizations where id = ${id}`)).toBe(1);
    expect(await countRows(t, sql`select 1 from organization_members where organization_id = ${id}`)).toBe(1);

    const other = await createUser(t);
    const stolen = await t.graphql(CREATE, { token: other.token, variables: { input } });
    expect(stolen.data.createOrganization.__typename).toBe('ConflictError');
    expect(JSON.stringify(stolen.data)).not.toContain('Retry Inc');
  });

  it('needs a signed-in user', async () => {
    const res = await t.graphql(CREATE, { variables: { input: { name: 'Anonymous' } } });
    expect(res.data.createOrganization.__typename).toBe('UnauthenticatedError');
  });
});

describe('updateOrganization', () => {
  it('lets an admin rename it and change its slug', async () => {
    const slug = `renamed-${uniqueSuffix()}`;
    const res = await t.graphql(UPDATE, { token: team.admin.token, variables: { id: team.org.globalId, input: { name: 'Renamed', slug } } });
    expect(res.data.updateOrganization.organization).toMatchObject({ name: 'Renamed', slug });
    team.org.slug = slug;
  });

  it('refuses a member (Forbidden) and an outsider (NotFound), writing nothing', async () => {
    const before = await organizationRow(team.org.id);
    const member = await t.graphql(UPDATE, { token: team.member.token, variables: { id: team.org.globalId, input: { name: 'Member was here' } } });
    expect(member.data.updateOrganization.__typename).toBe('ForbiddenError');
    const outsider = await t.graphql(UPDATE, { token: team.outsider.token, variables: { id: team.org.globalId, input: { name: 'Outsider' } } });
    expect(outsider.data.updateOrganization.__typename).toBe('NotFoundError');
    expect(await organizationRow(team.org.id)).toEqual(before);
  });

  it('refuses a slug another organization has', async () => {
    const other = await createOrganization(t, team.owner);
    const res = await t.graphql(UPDATE, { token: team.admin.token, variables: { id: team.org.globalId, input: { slug: other.slug } } });
    expect(res.data.updateOrganization.issues).toEqual([{ path: ['input', 'slug'], message: 'is already taken' }]);
  });

  it('merges settings, canonicalises the time zone, and removes a setting set to null', async () => {
    const set = await t.graphql(UPDATE, {
      token: team.admin.token,
      variables: { id: team.org.globalId, input: { settings: { timezone: 'europe/berlin', weekStartsOn: 1 } } },
    });
    expect(set.data.updateOrganization.organization.settings).toEqual({ timezone: 'Europe/Berlin', weekStartsOn: 1 });
    const patch = await t.graphql(UPDATE, {
      token: team.admin.token,
      variables: { id: team.org.globalId, input: { settings: { weekStartsOn: null, defaultTaskStatus: 'backlog' } } },
    });
    expect(patch.data.updateOrganization.organization.settings).toEqual({ timezone: 'Europe/Berlin', defaultTaskStatus: 'backlog' });
  });

  it('refuses unknown keys and bad values, each with its path, and writes nothing', async () => {
    const before = await organizationRow(team.org.id);
    const res = await t.graphql(UPDATE, {
      token: team.admin.token,
      variables: {
        id: team.org.globalId,
        input: { settings: { timezone: 'Mars/Olympus', weekStartsOn: 7, defaultTaskStatus: 'nope', colour: 'red' } },
      },
    });
    expect(res.data.updateOrganization.__typename).toBe('ValidationError');
    const paths = res.data.updateOrganization.issues.map((i: { path: string[] }) => i.path.join('.')).sort();
    expect(paths).toEqual([
      'input.settings.colour',
      'input.settings.defaultTaskStatus',
      'input.settings.timezone',
      'input.settings.weekStartsOn',
    ]);
    expect(await organizationRow(team.org.id)).toEqual(before);
  });

  it('refuses a UTC offset as a time zone', async () => {
    const res = await t.graphql(UPDATE, { token: team.admin.token, variables: { id: team.org.globalId, input: { settings: { timezone: '+01:00' } } } });
    expect(res.data.updateOrganization.issues[0].path).toEqual(['input', 'settings', 'timezone']);
  });
});

describe('changePlan', () => {
  it('lets the owner change the plan, not an admin', async () => {
    const org = await createTeam(t);
    const admin = await t.graphql(CHANGE_PLAN, { token: org.admin.token, variables: { id: org.org.globalId, plan: 'enterprise' } });
    expect(admin.data.changePlan.__typename).toBe('ForbiddenError');
    expect((await organizationRow(org.org.id))!.plan_id).toBe('team');
    const owner = await t.graphql(CHANGE_PLAN, { token: org.owner.token, variables: { id: org.org.globalId, plan: 'enterprise' } });
    expect(owner.data.changePlan.organization.plan).toBe('enterprise');
  });

  it('answers NotFound to an outsider', async () => {
    const res = await t.graphql(CHANGE_PLAN, { token: team.outsider.token, variables: { id: team.org.globalId, plan: 'free' } });
    expect(res.data.changePlan.__typename).toBe('NotFoundError');
    expect((await organizationRow(team.org.id))!.plan_id).toBe('team');
  });

  it('refuses an unknown plan', async () => {
    const res = await t.graphql(CHANGE_PLAN, { token: team.owner.token, variables: { id: team.org.globalId, plan: 'platinum' } });
    expect(res.data.changePlan.issues).toEqual([{ path: ['plan'], message: 'is not a known plan' }]);
  });

  it('refuses a downgrade below the current number of members (pending invitations included)', async () => {
    const big = await createTeam(t); // 4 members on the team plan
    for (let i = 0; i < 6; i++) await addMember(t, big.org.id, await createUser(t), 'member'); // 10 members
    const invite = /* GraphQL */ `mutation($input: InviteMemberInput!) { inviteMember(input: $input) { __typename } }`;
    const invited = await t.graphql(invite, {
      token: big.admin.token,
      variables: { input: { organizationId: big.org.globalId, email: `extra-${uniqueSuffix()}@example.com`, role: 'MEMBER' } },
    });
    expect(invited.data.inviteMember.__typename).toBe('InviteMemberSuccess');
    const res = await t.graphql(CHANGE_PLAN, { token: big.owner.token, variables: { id: big.org.globalId, plan: 'free' } });
    expect(res.data.changePlan).toMatchObject({ __typename: 'LimitExceededError', limit: 'members', max: 10 });
    expect((await organizationRow(big.org.id))!.plan_id).toBe('team');
  });

  it('refuses a downgrade below the current number of projects, and allows it at exactly the limit', async () => {
    const org = await createTeam(t);
    const insertProjects = (n: number, from: number) =>
      t.owner.db.execute(
        sql`insert into projects (id, organization_id, name, created_by)
            select gen_random_uuid(), ${org.org.id}, 'P' || g, ${org.owner.id} from generate_series(${from}::int, ${from + n - 1}::int) g`,
      );
    await insertProjects(10, 1);
    const atLimit = await t.graphql(CHANGE_PLAN, { token: org.owner.token, variables: { id: org.org.globalId, plan: 'free' } });
    expect(atLimit.data.changePlan.organization.plan).toBe('free');
    await t.graphql(CHANGE_PLAN, { token: org.owner.token, variables: { id: org.org.globalId, plan: 'team' } });
    await insertProjects(1, 11);
    const over = await t.graphql(CHANGE_PLAN, { token: org.owner.token, variables: { id: org.org.globalId, plan: 'free' } });
    expect(over.data.changePlan).toMatchObject({ __typename: 'LimitExceededError', limit: 'projects', max: 10 });
    expect((await organizationRow(org.org.id))!.plan_id).toBe('team');
  });
});

describe('deleteOrganization', () => {
  it('is refused to an admin and to an outsider, writing nothing', async () => {
    const org = await createTeam(t);
    const admin = await t.graphql(DELETE, { token: org.admin.token, variables: { id: org.org.globalId } });
    expect(admin.data.deleteOrganization.__typename).toBe('ForbiddenError');
    const outsider = await t.graphql(DELETE, { token: org.outsider.token, variables: { id: org.org.globalId } });
    expect(outsider.data.deleteOrganization.__typename).toBe('NotFoundError');
    expect((await organizationRow(org.org.id))!.deleted_at).toBeNull();
    expect(await countRows(t, sql`select 1 from organization_members where organization_id = ${org.org.id} and deleted_at is null`)).toBe(4);
  });

  it('lets the owner delete it: it vanishes for every member and its slug is free again', async () => {
    const org = await createTeam(t);
    const res = await t.graphql(DELETE, { token: org.owner.token, variables: { id: org.org.globalId } });
    expect(res.data.deleteOrganization).toEqual({ __typename: 'DeleteOrganizationSuccess', deletedOrganizationId: org.org.globalId });
    expect((await organizationRow(org.org.id))!.deleted_at).not.toBeNull();
    expect(await countRows(t, sql`select 1 from organization_members where organization_id = ${org.org.id} and deleted_at is null`)).toBe(0);
    for (const user of [org.owner, org.admin, org.member]) {
      const seen = await t.graphql(NODE, { token: user.token, variables: { id: org.org.globalId } });
      expect(seen.data.node).toBeNull();
    }
    const reuse = await t.graphql(CREATE, { token: org.owner.token, variables: { input: { name: 'Again', slug: org.org.slug } } });
    expect(reuse.data.createOrganization.organization.slug).toBe(org.org.slug);
  });
});
