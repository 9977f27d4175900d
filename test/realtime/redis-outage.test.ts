import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import type { Client } from 'graphql-ws';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app';
import { decodeCursor, encodeCursor } from '../../src/realtime/cursor';
import { createTeam } from '../support/factories';
import { startTestApp, testConfig, type TestApp } from '../support/harness';
import { subscribeWs, waitFor, wsClient } from '../support/realtime-clients';
import { createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../support/task-fixtures';
import { TASK_CHANGED, UPDATE_TASK } from './operations';

// A Redis of this test's own (the machine's redis-server binary on a free port), so it can be stopped and started again.
const haveRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!haveRedisServer && process.env.CI) throw new Error('redis outage test: no redis-server binary on PATH, and CI runs this test');
if (!haveRedisServer) console.warn('redis outage test: no redis-server binary on PATH; skipped');
let redis: ChildProcess | undefined;
let port = 0;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
    probe.on('error', reject);
  });

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await waitFor(() => canConnect(port), 10_000, 'the test Redis to listen');
}

async function stopRedis(): Promise<void> {
  const running = redis;
  redis = undefined;
  if (!running || running.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    running.once('exit', () => resolve());
    running.kill('SIGKILL');
  });
}

const canConnect = (to: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection(to);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

let t: TestApp;
let app: App;
let url: string;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let task: TaskFixture;
const clients: Client[] = [];

beforeAll(async () => {
  if (!haveRedisServer) return;
  port = await freePort();
  await startRedis();
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
  app = buildApp({
    config: { ...testConfig, redisUrl: `redis://127.0.0.1:${port}` },
    databaseUrl: t.appUrl,
    logger: pino({ level: 'silent' }),
    database: { max: 4 },
  });
  ({ url } = await app.start(0, '127.0.0.1'));
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await app?.stop();
  await t?.close();
  await stopRedis();
});

async function rename(title: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${team.owner.token}` },
    body: JSON.stringify({ query: UPDATE_TASK, variables: { id: task.globalId, title } }),
  });
  return (await response.json()) as { data?: { updateTask: { __typename: string } }; errors?: unknown[] };
}

function subscribe(after: string) {
  const client = wsClient(url, team.member.token);
  clients.push(client);
  return subscribeWs(client, TASK_CHANGED, { projectId: project.globalId, after });
}

const titles = (results: { data?: { taskChanged?: { task: { title: string } } } }[]) =>
  results.map((result) => result.data?.taskChanged?.task.title);

describe.skipIf(!haveRedisServer)('Redis going away and coming back', () => {
  it('keeps mutations working, reconnects by itself, and a resuming client gets what it missed, once each, in order', async () => {
    const [row] = await t.owner.sql<{ seq: string }[]>`select coalesce(max(seq), 0) as seq from activity_events`;
    const live = subscribe(encodeCursor(Number(row!.seq)));
    expect((await rename('before')).data?.updateTask.__typename).toBe('UpdateTaskSuccess');
    const [first] = await live.atLeast(1);
    expect(first!.data.taskChanged.task.title).toBe('before');
    const cursorBefore: string = first!.data.taskChanged.cursor;

    await stopRedis();
    // Mutations do not wait for (or fail with) the broker.
    const during = await rename('during');
    expect(during.errors).toBeUndefined();
    expect(during.data?.updateTask.__typename).toBe('UpdateTaskSuccess');

    await startRedis();
    // The server reconnects and subscribes again by itself: a later change reaches the open subscription live.
    let attempt = 0;
    await waitFor(
      async () => {
        await rename(`after ${++attempt}`);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return titles(live.results).some((title) => title?.startsWith('after '));
      },
      20_000,
      'a live delivery after Redis came back',
    );

    // A client that was away the whole time resumes from its last cursor: everything since, from Postgres, then live.
    // (Each event carries the task as it is now, so the cursors tell the events apart, not the titles.)
    const missed = await t.owner.sql<{ seq: string }[]>`
      select seq from activity_events where task_id = ${task.id} and seq > ${Number(decodeCursor(cursorBefore, 'after'))} order by seq`;
    expect(missed).toHaveLength(1 + attempt);
    const resumed = subscribe(cursorBefore);
    const replayed = await resumed.atLeast(missed.length);
    expect(replayed.map((result) => result.data!.taskChanged.cursor)).toEqual(missed.map((event) => encodeCursor(Number(event.seq))));
    expect(titles(replayed).every((title) => title === `after ${attempt}`)).toBe(true);
    // Nothing more follows: no event twice.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.results).toHaveLength(missed.length);
  });
});
