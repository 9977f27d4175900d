import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { notifications } from '../../../src/db/schema/index';
import { addMember, createOrganization, createTeam, createUser, globalId, type TestUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow } from '../../support/task-fixtures';
import { appRole, createNotificationRow } from './helpers';

const INBOX = /* GraphQL */ `
  query Inbox($first: Int, $after: String, $unreadOnly: Boolean, $includeArchived: Boolean, $organizationId: ID) {
    viewer {
    notifications(first: $first, after: $after, unreadOnly: $unreadOnly, includeArchived: $includeArchived, organizationId: $organizationId) {
      edges { cursor node { id kind isRead isArchived readAt archivedAt actor { id } task { id title } organization { id } } }
      pageInfo { hasNextPage endCursor }
    }
    unreadNotificationCount
    }
  }
`;

const CHANGE = (name: string) => /* GraphQL */ `
  mutation Change($id: ID!) {
    ${name}(id: $id) {
      __typename
      ... on ${name.charAt(0).toUpperCase() + name.slice(1)}Success { notification { id isRead readAt isArchived archivedAt } }
      ... on Error { code }
    }
  }
`;

const MARK_ALL = /* GraphQL */ `
  mutation MarkAll($organizationId: ID) {
    markAllNotificationsRead(organizationId: $organizationId) {
      __typename
      ... on MarkAllNotificationsReadSuccess { count }
      ... on Error { code }
    }
  }
`;

const NODE = /* GraphQL */ `
  query Node($id: ID!) { node(id: $id) { id ... on Notification { kind } } }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
});
afterAll(() => t?.close());

/** A user in the team's organization with an inbox of `count` notifications, the newest first in the returned list. */
async function userWithInbox(count: number, role: 'member' | 'viewer' = 'member') {
  const user = await createUser(t);
  await addMember(t, team.org.id, user, role);
  const rows = [];
  for (let i = 0; i < count; i++) {
    rows.push(await createNotificationRow(t, { organizationId: team.org.id, recipientId: user.id, actorId: team.owner.id, minutesAgo: count - i }));
  }
  return { user, newestFirst: rows.reverse() };
}

/** The inbox lives on `viewer`; answers are unwrapped so assertions read `data.notifications`. */
const inbox = async (user: TestUser, variables: Record<string, unknown> = {}) => {
  const res = await t.graphql(INBOX, { token: user.token, variables });
  return { ...res, data: res.data?.viewer };
};
const readAtOf = async (id: string) => (await t.owner.db.select().from(notifications).where(eq(notifications.id, id)))[0]!;

describe('the inbox', () => {
  it('pages newest first without gaps or repeats, and counts the unread', async () => {
    const { user, newestFirst } = await userWithInbox(5);
    const first = await inbox(user, { first: 2 });
    expect(first.errors).toBeUndefined();
    expect(first.data.unreadNotificationCount).toBe(5);
    const seen = first.data.notifications.edges.map((e: any) => e.node.id);
    expect(first.data.notifications.pageInfo.hasNextPage).toBe(true);
    let after = first.data.notifications.pageInfo.endCursor;
    for (;;) {
      const page = await inbox(user, { first: 2, after });
      seen.push(...page.data.notifications.edges.map((e: any) => e.node.id));
      if (!page.data.notifications.pageInfo.hasNextPage) break;
      after = page.data.notifications.pageInfo.endCursor;
    }
    expect(seen).toEqual(newestFirst.map((n) => n.globalId));
    expect(first.data.notifications.edges[0].node).toMatchObject({ kind: 'COMMENTED', isRead: false, actor: { id: globalId('User', team.owner.id) } });
  });

  it('breaks created_at ties by id, and shows the task the notification is about', async () => {
    const user = await createUser(t);
    await addMember(t, team.org.id, user, 'viewer');
    const project = await createProjectRow(t, team.org.id, team.owner.id);
    const task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id, title: 'Ship it' });
    const at = new Date(Date.now() - 1000);
    const a = await createNotificationRow(t, { organizationId: team.org.id, recipientId: user.id, taskId: task.id, createdAt: at, kind: 'assigned' });
    const b = await createNotificationRow(t, { organizationId: team.org.id, recipientId: user.id, taskId: task.id, createdAt: at, kind: 'assigned' });
    const one = await inbox(user, { first: 1 });
    const two = await inbox(user, { first: 1, after: one.data.notifications.pageInfo.endCursor });
    const ids = [one, two].map((r) => r.data.notifications.edges[0].node.id);
    expect(ids).toEqual([a, b].sort((x, y) => (x.id < y.id ? 1 : -1)).map((n) => n.globalId));
    expect(one.data.notifications.edges[0].node.task).toEqual({ id: task.globalId, title: 'Ship it' });
  });

  it('lists only the viewer’s own notifications', async () => {
    const { user } = await userWithInbox(2);
    const { user: other } = await userWithInbox(3);
    expect((await inbox(user)).data.notifications.edges).toHaveLength(2);
    expect((await inbox(other)).data.unreadNotificationCount).toBe(3);
  });

  it('is not there for an anonymous request', async () => {
    const res = await t.graphql(INBOX, {});
    expect(res.errors).toBeUndefined();
    expect(res.data.viewer).toBeNull();
  });

  it('rejects a malformed cursor as a validation error', async () => {
    const { user } = await userWithInbox(1);
    const res = await inbox(user, { after: 'nonsense' });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });
});

describe('marking and archiving', () => {
  it('marks one read (keeping the first readAt) and unread again; the unread count follows', async () => {
    const { user, newestFirst } = await userWithInbox(3);
    const target = newestFirst[1]!;
    const read = await t.graphql(CHANGE('markNotificationRead'), { token: user.token, variables: { id: target.globalId } });
    expect(read.data.markNotificationRead.notification).toMatchObject({ id: target.globalId, isRead: true });
    const firstReadAt = (await readAtOf(target.id)).readAt;
    expect(firstReadAt).not.toBeNull();
    await t.graphql(CHANGE('markNotificationRead'), { token: user.token, variables: { id: target.globalId } });
    expect((await readAtOf(target.id)).readAt).toEqual(firstReadAt);

    const listed = await inbox(user, { unreadOnly: true });
    expect(listed.data.unreadNotificationCount).toBe(2);
    expect(listed.data.notifications.edges.map((e: any) => e.node.id)).toEqual([newestFirst[0]!.globalId, newestFirst[2]!.globalId]);

    const unread = await t.graphql(CHANGE('markNotificationUnread'), { token: user.token, variables: { id: target.globalId } });
    expect(unread.data.markNotificationUnread.notification).toMatchObject({ isRead: false, readAt: null });
    expect((await inbox(user)).data.unreadNotificationCount).toBe(3);
  });

  it('archives out of the inbox and the unread count, and back', async () => {
    const { user, newestFirst } = await userWithInbox(2);
    const target = newestFirst[0]!;
    const archived = await t.graphql(CHANGE('archiveNotification'), { token: user.token, variables: { id: target.globalId } });
    expect(archived.data.archiveNotification.notification).toMatchObject({ isArchived: true });
    const after = await inbox(user);
    expect(after.data.notifications.edges.map((e: any) => e.node.id)).toEqual([newestFirst[1]!.globalId]);
    expect(after.data.unreadNotificationCount).toBe(1);
    const all = await inbox(user, { includeArchived: true });
    expect(all.data.notifications.edges.map((e: any) => e.node.id)).toEqual(newestFirst.map((n) => n.globalId));

    await t.graphql(CHANGE('unarchiveNotification'), { token: user.token, variables: { id: target.globalId } });
    expect((await inbox(user)).data.unreadNotificationCount).toBe(2);
  });

  it('marks all read, in one organization or everywhere, and returns how many', async () => {
    const { user } = await userWithInbox(3);
    const otherOrg = await createOrganization(t, team.owner);
    await addMember(t, otherOrg.id, user, 'viewer');
    await createNotificationRow(t, { organizationId: otherOrg.id, recipientId: user.id });

    const inTeam = await t.graphql(MARK_ALL, { token: user.token, variables: { organizationId: team.org.globalId } });
    expect(inTeam.data.markAllNotificationsRead).toEqual({ __typename: 'MarkAllNotificationsReadSuccess', count: 3 });
    expect((await inbox(user)).data.unreadNotificationCount).toBe(1);

    const everywhere = await t.graphql(MARK_ALL, { token: user.token });
    expect(everywhere.data.markAllNotificationsRead.count).toBe(1);
    expect((await t.graphql(MARK_ALL, { token: user.token })).data.markAllNotificationsRead.count).toBe(0);
  });

  it('answers NotFound for an organization the viewer is not in, marking nothing', async () => {
    const { user } = await userWithInbox(1);
    const res = await t.graphql(MARK_ALL, { token: team.outsider.token, variables: { organizationId: team.org.globalId } });
    expect(res.data.markAllNotificationsRead.__typename).toBe('NotFoundError');
    expect((await inbox(user)).data.unreadNotificationCount).toBe(1);
  });
});

describe('someone else’s notification', () => {
  it('cannot be loaded, marked or archived by another member of the same organization (NotFound, nothing written)', async () => {
    const { newestFirst } = await userWithInbox(1);
    const target = newestFirst[0]!;
    const node = await t.graphql(NODE, { token: team.admin.token, variables: { id: target.globalId } });
    expect(node.data.node).toBeNull();
    for (const name of ['markNotificationRead', 'archiveNotification']) {
      const res = await t.graphql(CHANGE(name), { token: team.admin.token, variables: { id: target.globalId } });
      expect(res.data[name].__typename).toBe('NotFoundError');
    }
    const row = await readAtOf(target.id);
    expect(row.readAt).toBeNull();
    expect(row.archivedAt).toBeNull();
  });

  it('is invisible to the app role acting as another member: reads see nothing, updates and deletes touch nothing', async () => {
    const { newestFirst } = await userWithInbox(1);
    const target = newestFirst[0]!;
    const app = appRole(t);
    try {
      const { seen, updated, deleted } = await app.as(team.admin.id, [team.org.id], async (tx) => ({
        seen: await tx.execute(sql`select id from notifications where id = ${target.id}`),
        updated: await tx.execute(sql`update notifications set read_at = now() where id = ${target.id}`),
        deleted: await tx.execute(sql`delete from notifications where id = ${target.id}`),
      }));
      expect(seen).toHaveLength(0);
      expect(updated.count).toBe(0);
      expect(deleted.count).toBe(0);
      expect((await readAtOf(target.id)).readAt).toBeNull();
    } finally {
      await app.close();
    }
  });
});
