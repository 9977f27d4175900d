import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { topics } from './topics';

/**
 * Who is looking at a task right now. A viewer is present through one or more
 * sessions (a subscription each: two tabs are two sessions of one user); each
 * session lives until its expiry unless refreshed by join() again, so a client
 * (or a whole instance) that vanishes without leaving drops out after the TTL.
 * Presence is advisory: the store never throws, a broker failure is logged and
 * reads as nobody present.
 */
export type PresenceStore = {
  /** The TTL joins use unless given one: heartbeats must come well within it. */
  readonly ttlSeconds: number;
  /** Adds or refreshes one session. */
  join(organizationId: string, taskId: string, userId: string, sessionKey: string, ttlSeconds?: number): Promise<void>;
  leave(organizationId: string, taskId: string, userId: string, sessionKey: string): Promise<void>;
  /** Distinct users with a live session, sorted (stable output for clients and diffs). */
  list(organizationId: string, taskId: string): Promise<string[]>;
  /** list() for several tasks in one round trip, in the order given. */
  listMany(tasks: readonly PresenceTask[]): Promise<string[][]>;
  close(): Promise<void>;
};

export type PresenceTask = { organizationId: string; taskId: string };

export type PresenceStoreOptions = {
  /** Redis shared by every instance; in-process when absent. */
  redisUrl?: string | undefined;
  /** Prepended to every key, so deployments (or test runs) sharing a Redis do not cross. */
  keyPrefix?: string;
  ttlSeconds: number;
  logger: Logger;
};

const memberOf = (userId: string, sessionKey: string) => `${userId}:${sessionKey}`;
// User ids are UUIDs (no colon): everything before the first colon.
const userOf = (member: string) => member.slice(0, member.indexOf(':'));
const distinctSorted = (members: Iterable<string>) => [...new Set([...members].map(userOf))].sort();

export function createPresenceStore({ redisUrl, keyPrefix = '', ttlSeconds, logger }: PresenceStoreOptions): PresenceStore {
  return redisUrl ? redisPresence(redisUrl, keyPrefix, ttlSeconds, logger) : inProcessPresence(keyPrefix, ttlSeconds);
}

/**
 * Redis has no per-member TTL in a set, so each task is a sorted set whose
 * scores are the sessions' expiry times (ms): reads take only the members
 * whose score is still ahead, joins prune the others. The key itself expires a
 * TTL after the last join, so a task everybody abandoned leaves nothing behind.
 * Clocks of instances are assumed to agree to well within the TTL.
 */
function redisPresence(redisUrl: string, keyPrefix: string, defaultTtl: number, logger: Logger): PresenceStore {
  // Connects on first use; while Redis is away, commands fail fast instead of queueing.
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectionName: 'taskgraph-presence',
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
  });
  let lastReported = 0;
  const reportError = (err: unknown) => {
    // One line every 10 s is enough during an outage.
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    logger.warn({ err }, 'redis unavailable: presence is not shared until it is back');
  };
  redis.on('error', reportError);
  const keyOf = (organizationId: string, taskId: string) => keyPrefix + topics.presence(organizationId, taskId);

  const listMany = async (tasks: readonly PresenceTask[]): Promise<string[][]> => {
    if (tasks.length === 0) return [];
    const now = Date.now();
    const pipeline = redis.pipeline();
    for (const { organizationId, taskId } of tasks) pipeline.zrangebyscore(keyOf(organizationId, taskId), `(${now}`, '+inf');
    try {
      const results = (await pipeline.exec()) ?? [];
      return tasks.map((_, i) => {
        const [err, members] = results[i] ?? [null, []];
        if (err) reportError(err);
        return Array.isArray(members) ? distinctSorted(members as string[]) : [];
      });
    } catch (err) {
      reportError(err);
      return tasks.map(() => []);
    }
  };

  return {
    ttlSeconds: defaultTtl,
    async join(organizationId, taskId, userId, sessionKey, ttlSeconds = defaultTtl) {
      const key = keyOf(organizationId, taskId);
      const now = Date.now();
      const ttlMs = Math.round(ttlSeconds * 1000);
      await redis
        .multi()
        .zremrangebyscore(key, '-inf', now)
        .zadd(key, now + ttlMs, memberOf(userId, sessionKey))
        // The key outlives its longest session: set when it has no expiry yet, else only ever extended (Redis 7).
        .pexpire(key, ttlMs, 'NX')
        .pexpire(key, ttlMs, 'GT')
        .exec()
        .catch(reportError);
    },
    async leave(organizationId, taskId, userId, sessionKey) {
      await redis.zrem(keyOf(organizationId, taskId), memberOf(userId, sessionKey)).catch(reportError);
    },
    async list(organizationId, taskId) {
      const [users] = await listMany([{ organizationId, taskId }]);
      return users ?? [];
    },
    listMany,
    async close() {
      redis.disconnect();
    },
  };
}

/** One instance only: a map of sessions to expiry times per task. */
function inProcessPresence(keyPrefix: string, defaultTtl: number): PresenceStore {
  const tasks = new Map<string, Map<string, number>>();
  const keyOf = (organizationId: string, taskId: string) => keyPrefix + topics.presence(organizationId, taskId);
  const liveSessions = (key: string, now: number) => {
    const sessions = tasks.get(key);
    if (!sessions) return [];
    for (const [member, expiresAt] of sessions) if (expiresAt <= now) sessions.delete(member);
    if (sessions.size === 0) tasks.delete(key);
    return [...sessions.keys()];
  };
  let lastSweep = Date.now();
  // Tasks nobody lists again would keep their expired sessions: sweep everything once per TTL.
  const sweepNow = (now: number) => {
    if (now - lastSweep < defaultTtl * 1000) return;
    lastSweep = now;
    for (const key of [...tasks.keys()]) liveSessions(key, now);
  };

  return {
    ttlSeconds: defaultTtl,
    async join(organizationId, taskId, userId, sessionKey, ttlSeconds = defaultTtl) {
      const now = Date.now();
      sweepNow(now);
      const key = keyOf(organizationId, taskId);
      const sessions = tasks.get(key) ?? new Map<string, number>();
      sessions.set(memberOf(userId, sessionKey), now + ttlSeconds * 1000);
      tasks.set(key, sessions);
    },
    async leave(organizationId, taskId, userId, sessionKey) {
      const key = keyOf(organizationId, taskId);
      tasks.get(key)?.delete(memberOf(userId, sessionKey));
      liveSessions(key, Date.now());
    },
    async list(organizationId, taskId) {
      return distinctSorted(liveSessions(keyOf(organizationId, taskId), Date.now()));
    },
    async listMany(tasks) {
      const now = Date.now();
      return tasks.map(({ organizationId, taskId }) => distinctSorted(liveSessions(keyOf(organizationId, taskId), now)));
    },
    async close() {
      tasks.clear();
    },
  };
}
