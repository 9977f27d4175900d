import { randomBytes } from 'node:crypto';
import type { Client } from 'graphql-ws';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app';
import { createTeam } from '../support/factories';
import { startTestApp, testConfig, type GraphQLResponse, type TestApp } from '../support/harness';
import { startServerProcess, subscribeWs, wsClient, type ServerProcess } from '../support/realtime-clients';
import { createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../support/task-fixtures';
import { TASK_CHANGED, UPDATE_TASK } from './operations';
import { sharedRedisAvailable, TEST_REDIS_URL } from '../support/redis';

const REDIS_URL = TEST_REDIS_URL;
const redisUp = await sharedRedisAvailable('multi-instance test');
/** A port where no Redis listens. */
const NO_REDIS_URL = 'redis://127.0.0.1:6390';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let task: TaskFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
});
afterAll(async () => {
  await t?.close();
});

const post = async (url: string, query: string, variables: Record<string, unknown>, token: string): Promise<GraphQLResponse> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse;
};

describe.skipIf(!redisUp)('two server processes sharing Postgres and Redis', () => {
  let servers: ServerProcess[] = [];
  let client: Client | undefined;
  afterAll(async () => {
    await client?.dispose();
    await Promise.all(servers.map((server) => server.stop()));
  });

  it('delivers on one instance a change made through the other', { timeout: 90_000 }, async () => {
    // A channel namespace of its own, so runs sharing the Redis never see each other's events.
    const env = { DATABASE_APP_URL: t.appUrl, REDIS_URL, REDIS_CHANNEL_PREFIX: `taskgraph-test-${randomBytes(4).toString('hex')}:` };
    // The subscribed instance runs no sequencer: what it delivers can only have come through Redis from the other.
    servers = await Promise.all([startServerProcess({ ...env, REALTIME_SEQUENCER: 'false' }), startServerProcess(env)]);
    const [subscribedTo, mutatedThrough] = servers as [ServerProcess, ServerProcess];

    client = wsClient(subscribedTo.url, team.member.token);
    const received = subscribeWs(client, TASK_CHANGED, { projectId: project.globalId, after: null });
    // Live only (no cursor): retry the change until the subscription is surely in place, then expect exactly that change.
    let attempt = 0;
    while (received.results.length === 0 && attempt < 20) {
      const title = `From the other instance ${++attempt}`;
      const result = await post(mutatedThrough.url, UPDATE_TASK, { id: task.globalId, title }, team.owner.token);
      expect(result.data?.updateTask.__typename).toBe('UpdateTaskSuccess');
      await received.atLeast(1, 500).catch(() => {});
    }
    const [first] = await received.atLeast(1);
    expect(first!.data.taskChanged.task.title).toMatch(/^From the other instance \d+$/);
    expect(first!.data.taskChanged.verb).toBe('task.updated');
  });
});

describe('with Redis unreachable', () => {
  let app: App | undefined;
  afterAll(async () => {
    await app?.stop();
  });

  it('queries and mutations still succeed (events are dropped, not thrown)', async () => {
    app = buildApp({
      config: { ...testConfig, redisUrl: NO_REDIS_URL },
      databaseUrl: t.appUrl,
      logger: pino({ level: 'silent' }),
      database: { max: 2 },
    });
    await app.start(0, '127.0.0.1');
    const call = async (query: string, variables: Record<string, unknown>) => {
      const response = await app!.yoga.fetch('http://test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${team.owner.token}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse;
    };
    const updated = await call(UPDATE_TASK, { id: task.globalId, title: 'While Redis is away' });
    expect(updated.errors).toBeUndefined();
    expect(updated.data.updateTask).toEqual({ __typename: 'UpdateTaskSuccess', task: { title: 'While Redis is away' } });
    const read = await call(`query ($id: ID!) { node(id: $id) { ... on Task { title } } }`, { id: task.globalId });
    expect(read.data.node).toEqual({ title: 'While Redis is away' });

    // The sequencer still numbers the event (its publication is dropped): a client resuming by cursor gets it from Postgres.
    await expect
      .poll(async () => (await t.owner.sql`select 1 from activity_events where task_id = ${task.id} and seq is null`).length, { timeout: 5000 })
      .toBe(0);
  });
});
