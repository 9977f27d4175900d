import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { databaseCounters, createBenchDatabase } from './database';
import { createFanoutFixture, type FanoutFixture } from './fixtures';
import { allReceived, peakSampler, postComment, processCpuMs, sleep, type Posted } from './measure';
import { startBenchServer, type BenchServer } from './server';
import { distribution, type Distribution } from './stats';
import { openSubscribers } from './subscribers';

export type FanoutOptions = {
  subscribers: number;
  /** One scenario per value: the subscriptions spread over this many WebSocket connections. */
  connections: number[];
  /** Distinct members the connections authenticate as. */
  members: number;
  comments: number;
  intervalMs: number;
  /** How long to wait for the last deliveries after the last comment. */
  drainMs: number;
  /** API processes sharing the subscribers (connections round-robin); more than one needs REDIS_URL, as in production. */
  instances: number;
};

export const DEFAULT_OPTIONS: FanoutOptions = {
  subscribers: 1000,
  connections: [20, 1000],
  members: 20,
  comments: 50,
  intervalMs: 100,
  drainMs: 60_000,
  instances: 1,
};

export type ScenarioResult = {
  connections: number;
  subscribers: number;
  comments: number;
  intervalMs: number;
  /** Subscriptions that received the warm-up comment before measuring (all of them, or the run says why not). */
  ready: number;
  /** Receipt minus the addComment response's arrival at the poster. */
  fromResponseMs: Distribution;
  /** Receipt minus the moment the poster sent addComment. */
  fromSendMs: Distribution;
  /** Per comment: until its last subscriber had it, from the response. */
  fullFanOutMs: Distribution;
  addCommentMs: Distribution;
  expected: number;
  missing: number;
  duplicates: number;
  subscriptionErrors: string[];
  failedPosts: number;
  serverRssMb: { idle: number; subscribed: number; peak: number };
  serverCpuMsPerComment: number;
  /** This process's CPU: the 1,000 clients receiving and parsing, which share the machine with the server. */
  clientCpuMsPerComment: number;
  dbCommitsPerComment: number;
  /** Wall time from the first send to the last receipt. */
  wallMs: number;
};

export type FanoutReport = {
  startedAt: string;
  redis: boolean;
  options: FanoutOptions;
  /** 1/5/15-minute load averages: other work on the machine shares its two cores with the run. */
  loadAverage: { start: number[]; end: number[] };
  scenarios: ScenarioResult[];
};

const loadAverageNow = () => loadavg().map((value) => Number(value.toFixed(2)));

export async function runFanoutBench(options: FanoutOptions, log: (line: string) => void): Promise<FanoutReport> {
  if (options.instances > 1 && !process.env.REDIS_URL) throw new Error('bench:fanout: --instances above 1 needs REDIS_URL (the instances share events through Redis)');
  const startedAt = new Date().toISOString();
  const loadAtStart = loadAverageNow();
  const database = await createBenchDatabase(log);
  const jwtSecret = randomBytes(32).toString('hex');
  const scenarios: ScenarioResult[] = [];
  try {
    const fixture = await createFanoutFixture(database.ownerUrl, jwtSecret, options.members);
    for (const connections of options.connections) {
      log(`scenario: ${options.subscribers} subscriptions over ${connections} connections ...`);
      scenarios.push(await runScenario(database, jwtSecret, fixture, options, connections, log));
    }
  } finally {
    await database.drop();
  }
  return { startedAt, redis: Boolean(process.env.REDIS_URL), options, loadAverage: { start: loadAtStart, end: loadAverageNow() }, scenarios };
}

async function runScenario(
  database: { ownerUrl: string; appUrl: string },
  jwtSecret: string,
  fixture: FanoutFixture,
  options: FanoutOptions,
  connections: number,
  log: (line: string) => void,
): Promise<ScenarioResult> {
  // Fresh servers per scenario: their memory and CPU belong to this scenario alone.
  const redis: Record<string, string> = process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL, REDIS_CHANNEL_PREFIX: `fanout-${randomBytes(3).toString('hex')}:` } : {};
  const servers = await Promise.all(
    Array.from({ length: options.instances }, () => startBenchServer({ DATABASE_APP_URL: database.appUrl, JWT_SECRET: jwtSecret, ...redis })),
  );
  const server = combined(servers);
  const pool = openSubscribers(servers.map((s) => s.url), fixture.taskGlobalId, fixture.subscribers, options.subscribers, connections);
  try {
    await sleep(500);
    const idleRss = await server.rssMb();

    // Live-only subscriptions: post warm-up comments until every one has received one, so all are listening.
    const warmups: string[] = [];
    const warmDeadline = Date.now() + 120_000;
    while (Date.now() < warmDeadline && !pool.subscribers.every((s) => warmups.some((w) => s.receipts.has(w)) || s.ended)) {
      const posted = await postComment(server.url, fixture.poster, fixture.taskGlobalId, `warm-up ${warmups.length + 1}`);
      warmups.push(posted.body);
      await sleep(1000);
    }
    const ready = pool.subscribers.filter((s) => warmups.some((w) => s.receipts.has(w))).length;
    // Let the warm-up deliveries finish before measuring.
    await allReceived(pool.subscribers, warmups.slice(-1), 60_000);
    await sleep(500);
    log(`  ${ready}/${options.subscribers} subscriptions ready after ${warmups.length} warm-up comment(s)`);
    const subscribedRss = await server.rssMb();

    const cpuBefore = await server.cpuMs();
    const clientCpuBefore = process.cpuUsage();
    const dbBefore = await databaseCounters(database.ownerUrl);
    const rss = peakSampler(() => server.rssMb());
    const posts: Promise<Posted>[] = [];
    for (let i = 0; i < options.comments; i++) {
      posts.push(postComment(server.url, fixture.poster, fixture.taskGlobalId, `fan-out ${i + 1}`));
      await sleep(options.intervalMs);
    }
    const posted = await Promise.all(posts);
    const bodies = posted.map((p) => p.body);
    const complete = await allReceived(pool.subscribers, bodies, options.drainMs);
    if (!complete) log(`  not every delivery arrived within ${options.drainMs} ms of the last comment`);
    // Any late duplicate would show up now.
    await sleep(1000);
    const peakRss = await rss.stop();
    const cpuMs = (await server.cpuMs()) - cpuBefore;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const dbAfter = await databaseCounters(database.ownerUrl);

    const fromResponse: number[] = [];
    const fromSend: number[] = [];
    const fullFanOut: number[] = [];
    let missing = 0;
    let duplicates = 0;
    let lastReceipt = 0;
    for (const post of posted) {
      let last = Number.NaN;
      for (const subscriber of pool.subscribers) {
        const times = subscriber.receipts.get(post.body);
        if (!times) {
          missing++;
          continue;
        }
        duplicates += times.length - 1;
        fromResponse.push(times[0]! - post.respondedAt);
        fromSend.push(times[0]! - post.sentAt);
        last = Number.isNaN(last) ? times[0]! : Math.max(last, times[0]!);
        lastReceipt = Math.max(lastReceipt, times[0]!);
      }
      if (!Number.isNaN(last)) fullFanOut.push(last - post.respondedAt);
    }
    const errors = [...new Set(pool.subscribers.flatMap((s) => s.errors))];
    return {
      connections,
      subscribers: options.subscribers,
      comments: options.comments,
      intervalMs: options.intervalMs,
      ready,
      fromResponseMs: distribution(fromResponse),
      fromSendMs: distribution(fromSend),
      fullFanOutMs: distribution(fullFanOut),
      addCommentMs: distribution(posted.map((p) => p.respondedAt - p.sentAt)),
      expected: options.comments * options.subscribers,
      missing,
      duplicates,
      subscriptionErrors: errors.slice(0, 5),
      failedPosts: posted.filter((p) => !p.ok).length,
      serverRssMb: { idle: idleRss, subscribed: subscribedRss, peak: peakRss },
      serverCpuMsPerComment: cpuMs / options.comments,
      clientCpuMsPerComment: (clientCpu.user + clientCpu.system) / 1000 / options.comments,
      dbCommitsPerComment: (dbAfter.commits - dbBefore.commits) / options.comments,
      wallMs: lastReceipt - posted[0]!.sentAt,
    };
  } finally {
    await pool.close();
    await server.stop();
  }
}

/** Several servers measured as one: comments go to the first; memory and CPU are summed. */
function combined(servers: BenchServer[]) {
  return {
    url: servers[0]!.url,
    rssMb: async () => (await Promise.all(servers.map((server) => server.rssMb()))).reduce((a, b) => a + b, 0),
    cpuMs: async () => (await Promise.all(servers.map((server) => processCpuMs(server.pid)))).reduce((a, b) => a + b, 0),
    stop: () => Promise.all(servers.map((server) => server.stop())),
  };
}
