import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addMember, createOrganization, createTeam, createUser, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';

const VIEWER = /* GraphQL */ `
  {
    viewer {
      user { id name email }
      organizations { id name viewerRole }
      apiTokens { id }
    }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

describe('viewer', () => {
  it('is null, without an error, for an anonymous request', async () => {
    const res = await t.graphql(VIEWER);
    expect(res).toEqual({ data: { viewer: null } });
  });

  it('shows the user, their organizations with their role, and their API tokens', async () => {
    const res = await t.graphql(VIEWER, { token: team.member.token });
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer).toEqual({
      user: { id: globalId('User', team.member.id), name: team.member.name, email: team.member.email },
      organizations: [{ id: team.org.globalId, name: `Org ${team.org.slug}`, viewerRole: 'MEMBER' }],
      apiTokens: [],
    });
  });

  it('shows no organizations for someone in none', async () => {
    const res = await t.graphql(VIEWER, { token: team.outsider.token });
    expect(res.data.viewer.organizations).toEqual([]);
  });

  it('lists organizations by name and leaves out deleted ones', async () => {
    const user = await createUser(t);
    const zeta = await createOrganization(t, user, { name: 'Zeta' });
    const alpha = await createOrganization(t, user, { name: 'Alpha' });
    const gone = await createOrganization(t, user, { name: 'Gone' });
    await t.owner.db.execute(sql`update organizations set deleted_at = now() where id = ${gone.id}`);
    const res = await t.graphql(VIEWER, { token: user.token });
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer.organizations.map((o: { id: string }) => o.id)).toEqual([alpha.globalId, zeta.globalId]);
  });

  it('loads organizations in one batch, however many there are', async () => {
    const few = await createUser(t);
    await createOrganization(t, few);
    const many = await createUser(t);
    for (let i = 0; i < 5; i++) await createOrganization(t, many);

    t.resetQueryCount();
    await t.graphql(VIEWER, { token: few.token });
    const forOne = t.queryCount();
    t.resetQueryCount();
    const res = await t.graphql(VIEWER, { token: many.token });
    expect(res.data.viewer.organizations).toHaveLength(5);
    expect(t.queryCount()).toBe(forOne);
  });

  it('does not show organizations the user left', async () => {
    const user = await createUser(t);
    await addMember(t, team.org.id, user, 'viewer');
    expect((await t.graphql(VIEWER, { token: user.token })).data.viewer.organizations).toHaveLength(1);
    await t.owner.db.execute(sql`update organization_members set deleted_at = now() where user_id = ${user.id}`);
    expect((await t.graphql(VIEWER, { token: user.token })).data.viewer.organizations).toEqual([]);
  });
});
