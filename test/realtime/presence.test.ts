import { randomBytes, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp, type App } from '../../src/app';
import { organizationMembers } from '../../src/db/schema/index';
import { createPresenceStore, type PresenceStore } from '../../src/realtime/presence-store';
import { addMember, createOrganization, createTeam, createUser, type TestUser } from '../support/factories';
import { startTestApp, testConfig, type GraphQLResponse, type TestApp } from '../support/harness';
import { subscribeWs, waitFor, webSocketUrl, type Received } from '../support/realtime-clients';
import { createProjectRow, createTaskRow, type TaskFixture } from '../support/task-fixtures';
import { sharedRedisAvailable, TEST_REDIS_URL } from '../support/redis';

const REDIS_URL = TEST_REDIS_URL;
const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const redisUp = await sharedRedisAvailable('presence tests');

// A namespace of its own per run, so runs sharing the Redis never see each other's keys or channels.
const uniquePrefix = () => `taskgraph-test-${randomBytes(4).toString('hex')}:`;

const ORG = randomUUID();
const TASK = randomUUID();
const [ALICE, BOB] = [randomUUID(), randomUUID()].sort() as [string, string];

describe.each([
  { kind: 'in-process', redisUrl: undefined, skip: false },
  { kind: 'Redis', redisUrl: REDIS_URL, skip: !redisUp },
])('presence store ($kind)', ({ redisUrl, skip }) => {
  const prefix = uniquePrefix();
  let store: PresenceStore;
  beforeAll(() => {
    store = createPresenceStore({ redisUrl, keyPrefix: prefix, ttlSeconds: 30, logger });
  });
  afterAll(async () => {
    await store?.close();
  });

  it.skipIf(skip)('lists each user once however many sessions they have, until their last session leaves', async () => {
    const task = randomUUID();
    await store.join(ORG, task, BOB, 's1');
    await store.join(ORG, task, ALICE, 's2');
    await store.join(ORG, task, ALICE, 's3');
    expect(await store.list(ORG, task)).toEqual([ALICE, BOB]);

    await store.leave(ORG, task, ALICE, 's2');
    expect(await store.list(ORG, task)).toEqual([ALICE, BOB]);
    await store.leave(ORG, task, ALICE, 's3');
    expect(await store.list(ORG, task)).toEqual([BOB]);
    // Another organization's task of the same id is another key.
    expect(await store.list(randomUUID(), task)).toEqual([]);
  });

  it.skipIf(skip)('drops a session that is not refreshed within its TTL, keeps one that is', async () => {
    const task = randomUUID();
    await store.join(ORG, task, ALICE, 'vanishing', 0.4);
    await store.join(ORG, task, BOB, 'heartbeating', 0.4);
    expect(await store.list(ORG, task)).toEqual([ALICE, BOB]);
    await sleep(250);
    await store.join(ORG, task, BOB, 'heartbeating', 0.4);
    await sleep(250);
    expect(await store.list(ORG, task)).toEqual([BOB]);
    await sleep(300);
    expect(await store.list(ORG, task)).toEqual([]);
  });

  it.skipIf(skip)('lists several tasks at once, in the order asked', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await store.join(ORG, first, ALICE, 'a');
    await store.join(ORG, second, BOB, 'b');
    const asked = [second, TASK, first].map((taskId) => ({ organizationId: ORG, taskId }));
    expect(await store.listMany(asked)).toEqual([[BOB], [], [ALICE]]);
  });
});

describe.skipIf(!redisUp)('presence store in Redis', () => {
  it('expires the key of a task everybody abandoned, and keeps prefixes apart', async () => {
    const prefix = uniquePrefix();
    const store = createPresenceStore({ redisUrl: REDIS_URL, keyPrefix: prefix, ttlSeconds: 30, logger });
    const other = createPresenceStore({ redisUrl: REDIS_URL, keyPrefix: uniquePrefix(), ttlSeconds: 30, logger });
    const redis = new Redis(REDIS_URL);
    try {
      const key = `${prefix}presence:${ORG}:${TASK}`;
      await store.join(ORG, TASK, ALICE, 'long', 20);
      await store.join(ORG, TASK, BOB, 'short', 2);
      // A shorter session never cuts the key's life below a longer one's.
      expect(await redis.pttl(key)).toBeGreaterThan(2000);
      await store.leave(ORG, TASK, ALICE, 'long');
      await store.join(ORG, TASK, BOB, 'short', 2);
      const pttl = await redis.pttl(key);
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(20_000);
      expect(await other.list(ORG, TASK)).toEqual([]);
    } finally {
      redis.disconnect();
      await store.close();
      await other.close();
    }
  });
});

describe('presence subscription and Task.viewers', () => {
  // Heartbeats (and access checks) every second; a session not refreshed lives 2-3 s past its last heartbeat.
  const TTL_SECONDS = 3;
  const PRESENCE = `subscription ($taskId: ID!) { presence(taskId: $taskId) { viewers { id name } joined { id } left { id } } }`;
  const VIEWERS = `query ($id: ID!) { node(id: $id) { ... on Task { viewers { id } } } }`;
  let t: TestApp;
  let app: App;
  let url: string;
  let team: Awaited<ReturnType<typeof createTeam>>;
  let task: TaskFixture;
  let foreignTask: TaskFixture;
  const prefix = uniquePrefix();
  const clients: Client[] = [];
  const open: Received[] = [];
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // Its own app: a short TTL, Redis when there is one (presence then lives there).
    app = buildApp({
      config: {
        ...testConfig,
        redisUrl: redisUp ? REDIS_URL : undefined,
        realtime: { ...testConfig.realtime, channelPrefix: prefix, presenceTtlSeconds: TTL_SECONDS, runSequencer: false },
      },
      databaseUrl: t.appUrl,
      logger,
      database: { max: 4 },
    });
    ({ url } = await app.start(0, '127.0.0.1'));
    team = await createTeam(t);
    const project = await createProjectRow(t, team.org.id, team.owner.id);
    task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
    const foreignOrg = await createOrganization(t, team.outsider);
    const foreignProject = await createProjectRow(t, foreignOrg.id, team.outsider.id);
    foreignTask = await createTaskRow(t, { organizationId: foreignOrg.id, projectId: foreignProject.id, createdBy: team.outsider.id });
  });
  afterEach(async () => {
    for (const received of open.splice(0)) received.stop();
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
  });
  afterAll(async () => {
    await app?.stop();
    await t?.close();
  });

  const globalIdOf = (user: TestUser) => Buffer.from(`User:${user.id}`).toString('base64');
  const idsOf = (users: { id: string }[]) => users.map((user) => user.id).sort();
  const expected = (...users: TestUser[]) => users.map(globalIdOf).sort();

  /** A graphql-ws client whose socket the test can kill without a close handshake. */
  function subscribe(user: TestUser | null, taskId = task.globalId) {
    const client = createClient({
      url: webSocketUrl(url),
      webSocketImpl: class extends WebSocket {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          sockets.push(this);
        }
      },
      connectionParams: user ? { authorization: `Bearer ${user.token}` } : {},
      retryAttempts: 0,
      lazy: true,
    });
    clients.push(client);
    const received = subscribeWs(client, PRESENCE, { taskId });
    open.push(received);
    return { received, socket: () => sockets.at(-1)! };
  }

  /** The latest update once it lists exactly `users`. */
  const seesViewers = (received: Received, users: TestUser[], what: string) =>
    waitFor(
      () => {
        const last = received.results.at(-1);
        return last?.data?.presence && JSON.stringify(idsOf(last.data.presence.viewers)) === JSON.stringify(expected(...users)) ? last.data.presence : null;
      },
      5000,
      what,
    );

  const viewersQuery = async (user: TestUser): Promise<GraphQLResponse> => {
    const response = await app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ query: VIEWERS, variables: { id: task.globalId } }),
    });
    return (await response.json()) as GraphQLResponse;
  };

  it('shows who joins and who leaves, also when a socket dies without closing', async () => {
    const alice = subscribe(team.member);
    const [first] = await alice.received.atLeast(1);
    expect(first!.errors).toBeUndefined();
    expect(first!.data.presence).toEqual({ viewers: [{ id: globalIdOf(team.member), name: team.member.name }], joined: null, left: null });

    const bob = subscribe(team.viewer);
    const both = await seesViewers(alice.received, [team.member, team.viewer], 'Alice to see Bob');
    expect(both.joined).toEqual({ id: globalIdOf(team.viewer) });
    await seesViewers(bob.received, [team.member, team.viewer], 'Bob to see both');
    const queried = await viewersQuery(team.admin);
    expect(queried.errors).toBeUndefined();
    expect(idsOf(queried.data.node.viewers)).toEqual(expected(team.member, team.viewer));

    // No close frame: the server notices the dead connection and Bob leaves at once (long before his TTL).
    const killedAt = Date.now();
    bob.socket().terminate();
    const alone = await seesViewers(alice.received, [team.member], 'Bob to leave');
    expect(Date.now() - killedAt).toBeLessThan(1500);
    expect(alone.left).toEqual({ id: globalIdOf(team.viewer) });
    expect(idsOf((await viewersQuery(team.admin)).data.node.viewers)).toEqual(expected(team.member));
  });

  it('refuses anonymous callers, outsiders, and another organization’s task', async () => {
    // The previous test's viewers leave as their sockets close.
    await waitFor(async () => (await viewersQuery(team.admin)).data?.node?.viewers?.length === 0, 5000, 'earlier viewers to leave');
    const anonymous = subscribe(null);
    expect((await anonymous.received.atLeast(1))[0]!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const outsider = subscribe(team.outsider);
    const [refused] = await outsider.received.atLeast(1);
    expect(refused!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(refused!.data?.presence ?? null).toBeNull();
    const foreign = subscribe(team.member, foreignTask.globalId);
    expect((await foreign.received.atLeast(1))[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // Nobody refused became a viewer.
    expect((await viewersQuery(team.admin)).data.node.viewers).toEqual([]);
    // And an outsider cannot read the viewers of a task through the query either.
    expect((await viewersQuery(team.outsider)).data?.node ?? null).toBeNull();
  });

  it('ends the stream of someone removed from the organization, who then drops out', async () => {
    const leaving = await createUser(t);
    await addMember(t, team.org.id, leaving, 'viewer');
    const staying = subscribe(team.member);
    const removed = subscribe(leaving);
    await seesViewers(staying.received, [team.member, leaving], 'both to be present');
    await t.owner.db
      .update(organizationMembers)
      .set({ deletedAt: new Date() })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, leaving.id)));
    await removed.received.ended();
    const endedAt = Date.now();
    expect(removed.received.completed).toBe(true);
    await seesViewers(staying.received, [team.member], 'the removed user to leave');
    // Left when the stream ended, not by expiry.
    expect(Date.now() - endedAt).toBeLessThan(1000);
  });

  it.skipIf(!redisUp)('drops a viewer whose instance vanished without leaving, once the TTL passes', async () => {
    const alice = subscribe(team.member);
    await alice.received.atLeast(1);
    // Another instance's session, never refreshed nor left: as if that instance died.
    // Its session lives 2 s: long enough for at least one of Alice's heartbeats (every second) to see it.
    const otherInstance = createPresenceStore({ redisUrl: REDIS_URL, keyPrefix: prefix, ttlSeconds: 2, logger });
    try {
      const joinedAt = Date.now();
      await otherInstance.join(team.org.id, task.id, team.admin.id, 'dead-instance');
      // Alice's heartbeat re-reads the store, so she notices without any message.
      const withGhost = await seesViewers(alice.received, [team.member, team.admin], 'the other instance’s viewer');
      expect(withGhost.joined).toEqual({ id: globalIdOf(team.admin) });
      const gone = await seesViewers(alice.received, [team.member], 'the vanished viewer to expire');
      expect(gone.left).toEqual({ id: globalIdOf(team.admin) });
      // Its 2 s TTL plus at most one heartbeat of Alice's (and some slack), though nobody ever said it left.
      expect(Date.now() - joinedAt).toBeGreaterThanOrEqual(2000);
      expect(Date.now() - joinedAt).toBeLessThan(4000);
    } finally {
      await otherInstance.close();
    }
  });
});
