import type { Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/realtime/cursor';
import { createTeam, createUser, addMember, globalId, type TestUser } from '../support/factories';
import { startTestApp, testConfig, type TestApp } from '../support/harness';
import { TASK_CHANGED, UPDATE_TASK } from './operations';
import { subscribeSse, subscribeWs, wsClient, type Received } from '../support/realtime-clients';
import { createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../support/task-fixtures';

let t: TestApp;
let url: string;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let task: TaskFixture;
const clients: Client[] = [];
const open: Received[] = [];

beforeAll(async () => {
  t = await startTestApp();
  ({ url } = await t.app.start(0, '127.0.0.1'));
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
});
afterEach(async () => {
  for (const received of open.splice(0)) received.stop();
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});
afterAll(async () => {
  await t?.close();
});

// Starting from the newest cursor so far: an event committed before the server finished subscribing is replayed, not lost.
async function currentCursor(): Promise<string> {
  const [row] = await t.owner.sql<{ seq: string | null }[]>`select coalesce(max(seq), 0) as seq from activity_events`;
  return encodeCursor(Number(row!.seq));
}

async function subscribeAs(user: TestUser | null, after?: string) {
  const client = wsClient(url, user?.token);
  clients.push(client);
  const received = subscribeWs(client, TASK_CHANGED, { projectId: project.globalId, after: after ?? (await currentCursor()) });
  open.push(received);
  return received;
}

const REMOVE_MEMBER = `mutation ($organizationId: ID!, $userId: ID!) {
  removeMember(organizationId: $organizationId, userId: $userId) { __typename }
}`;

async function renameTask(title: string) {
  const result = await t.graphql(UPDATE_TASK, { variables: { id: task.globalId, title }, token: team.owner.token });
  expect(result.data?.updateTask).toEqual({ __typename: 'UpdateTaskSuccess', task: { title } });
}

describe('graphql-ws on /graphql', () => {
  it('delivers a change made through the HTTP API to an authenticated member, with a cursor to resume from', async () => {
    const received = await subscribeAs(team.member);
    await renameTask('Renamed over HTTP');
    const [first] = await received.atLeast(1);
    expect(first!.errors).toBeUndefined();
    expect(first!.data.taskChanged).toMatchObject({ verb: 'task.updated', task: { id: task.globalId, title: 'Renamed over HTTP' } });

    // Resuming from that cursor replays only what came after it.
    await renameTask('Renamed again');
    const resumed = await subscribeAs(team.viewer, first!.data.taskChanged.cursor);
    const [replayed] = await resumed.atLeast(1);
    expect(replayed!.data.taskChanged.task.title).toBe('Renamed again');
    expect(resumed.results).toHaveLength(1);
  });

  it('refuses an unauthenticated subscription and a non-member’s', async () => {
    const anonymous = await subscribeAs(null);
    const [refused] = await anonymous.atLeast(1);
    expect(refused!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const outsider = await subscribeAs(team.outsider);
    const [hidden] = await outsider.atLeast(1);
    expect(hidden!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(hidden!.data?.taskChanged ?? null).toBeNull();
  });

  it('ends the subscription of someone removed from the organization, and of a revoked session', async () => {
    const leaving = await createUser(t);
    await addMember(t, team.org.id, leaving, 'member');
    const revoked = await createUser(t);
    await addMember(t, team.org.id, revoked, 'viewer');
    const staying = await subscribeAs(team.member);
    const removedOne = await subscribeAs(leaving);
    const revokedOne = await subscribeAs(revoked);
    await renameTask('Before removal');
    await Promise.all([staying.atLeast(1), removedOne.atLeast(1), revokedOne.atLeast(1)]);

    // Through the API, as it happens: each change tells the subscriptions to re-check before they deliver anything later.
    const removal = await t.graphql(REMOVE_MEMBER, {
      token: team.owner.token,
      variables: { organizationId: team.org.globalId, userId: globalId('User', leaving.id) },
    });
    expect(removal.data?.removeMember.__typename).toBe('RemoveMemberSuccess');
    const logOut = await t.graphql(`mutation { logOut { __typename } }`, { token: revoked.token });
    expect(logOut.data?.logOut.__typename).toBe('LogOutSuccess');
    await renameTask('After removal');

    await staying.atLeast(2);
    await removedOne.ended();
    await revokedOne.ended();
    for (const gone of [removedOne, revokedOne]) {
      expect(gone.completed).toBe(true);
      expect(gone.results.map((result) => result.data?.taskChanged?.task.title)).toEqual(['Before removal']);
    }
  });
});

describe('deleting an organization', () => {
  it('ends its members’ subscriptions at once, not at the next background re-check', async () => {
    const doomed = await createTeam(t);
    const doomedProject = await createProjectRow(t, doomed.org.id, doomed.owner.id);
    const doomedTask = await createTaskRow(t, { organizationId: doomed.org.id, projectId: doomedProject.id, createdBy: doomed.owner.id });
    const client = wsClient(url, doomed.member.token);
    clients.push(client);
    const received = subscribeWs(client, TASK_CHANGED, { projectId: doomedProject.globalId, after: await currentCursor() });
    open.push(received);
    // One change delivered first: the stream is open on the server before the deletion.
    await t.graphql(UPDATE_TASK, { variables: { id: doomedTask.globalId, title: 'Last change' }, token: doomed.owner.token });
    await received.atLeast(1);
    const deleted = await t.graphql(`mutation ($id: ID!) { deleteOrganization(id: $id) { __typename } }`, {
      token: doomed.owner.token,
      variables: { id: doomed.org.globalId },
    });
    expect(deleted.data?.deleteOrganization.__typename).toBe('DeleteOrganizationSuccess');
    // The background re-check runs every 10 s here: ending within 2 s means the deletion announced it.
    expect(testConfig.realtime.accessCheckMs).toBeGreaterThanOrEqual(10_000);
    await received.ended(2000);
    expect(received.completed).toBe(true);
    expect(received.results.map((result) => result.data?.taskChanged?.task.title)).toEqual(['Last change']);
  });
});

describe('activityAdded', () => {
  const ACTIVITY_ADDED = `subscription ($organizationId: ID!, $projectId: ID, $after: String) {
    activityAdded(organizationId: $organizationId, projectId: $projectId, after: $after) { verb cursor task { id } changes }
  }`;

  it('streams an organization’s activity to a member, refuses outsiders and malformed cursors', async () => {
    const client = wsClient(url, team.viewer.token);
    clients.push(client);
    const received = subscribeWs(client, ACTIVITY_ADDED, { organizationId: team.org.globalId, after: await currentCursor() });
    open.push(received);
    await renameTask('Seen in the feed');
    const [first] = await received.atLeast(1);
    expect(first!.data.activityAdded).toMatchObject({ verb: 'task.updated', task: { id: task.globalId } });
    expect(first!.data.activityAdded.changes.title.to).toBe('Seen in the feed');

    const outsiderClient = wsClient(url, team.outsider.token);
    clients.push(outsiderClient);
    const outsider = subscribeWs(outsiderClient, ACTIVITY_ADDED, { organizationId: team.org.globalId });
    const badCursor = subscribeWs(client, ACTIVITY_ADDED, { organizationId: team.org.globalId, after: 'not-a-cursor' });
    open.push(outsider, badCursor);
    expect((await outsider.atLeast(1))[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await badCursor.atLeast(1))[0]!.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });
});

describe('server-sent events', () => {
  it('delivers the same subscription over SSE (yoga.fetch)', async () => {
    const received = subscribeSse(
      (to, init) => Promise.resolve(t.app.yoga.fetch(to, init)),
      'http://test/graphql',
      TASK_CHANGED,
      { projectId: project.globalId, after: await currentCursor() },
      team.viewer.token,
    );
    open.push(received);
    await renameTask('Renamed for SSE');
    const [first] = await received.atLeast(1);
    expect(first!.data.taskChanged).toMatchObject({ verb: 'task.updated', task: { title: 'Renamed for SSE' } });
  });
});
