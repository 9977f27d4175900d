import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Viewer } from '../auth/viewer';
import type { RealtimeEvent } from './events';
import type { RealtimePubSub, TopicListener } from './pubsub';
import { topics } from './topics';

/** What a subscription's context brings: its viewer as resolved when it started, and how to resolve its credential again. */
export type AccessSource = {
  viewer: Viewer | null;
  refreshViewer(): Promise<Viewer | null>;
  /**
   * Identifies the credential `refreshViewer` resolves (the bearer token as sent): subscriptions
   * with the same key on one instance share one re-check. Without it each subscription checks alone.
   */
  credentialKey?: string | null;
  realtime: { pubsub: RealtimePubSub; accessCheckMs: number };
  logger: Pick<Logger, 'warn'>;
};

/** One subscription's view of its credential's access. */
export type AccessTicket = {
  /** The viewer as last checked; null once the credential no longer works. Throws when the last check failed. */
  current(): Viewer | null;
  /** While a re-check asked for by an access change is running, settles once it is done; otherwise null. */
  pending(): Promise<void> | null;
  /** Re-checks now (shared with any re-check of the same credential that starts later than this call); settles when done. */
  recheck(): Promise<void>;
  leave(): void;
};

/**
 * One credential on this instance and everything subscribed with it: its viewer
 * as last resolved, re-checked in the background every `accessCheckMs`, and at
 * once when the user's access topic says it may have changed.
 */
type Watch = {
  registry: Map<string, Watch>;
  key: string;
  viewer: Viewer | null;
  error: unknown;
  refresh: () => Promise<Viewer | null>;
  members: Map<symbol, { accessCheckMs: number; changed: () => void }>;
  running: Promise<void> | null;
  queued: Promise<void> | null;
  /** The re-check an access change asked for: deliveries wait for it. */
  announced: Promise<void> | null;
  timer: NodeJS.Timeout | undefined;
  /** When the next background re-check is due (ms since the epoch). */
  dueAt: number;
  listener: TopicListener;
  logger: Pick<Logger, 'warn'>;
  done: boolean;
};

/** Per instance (its pub/sub): credential key -> watch. */
const registries = new WeakMap<RealtimePubSub, Map<string, Watch>>();

/** Spreads the background re-checks of many credentials that started together, never beyond `ms`. */
const jittered = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.2));

/** The next background re-check, `accessCheckMs` (the smallest of the members') from now. */
function schedule(watch: Watch): void {
  const every = Math.min(...[...watch.members.values()].map((member) => member.accessCheckMs));
  scheduleIn(watch, jittered(every));
}

/**
 * Background re-checks fall due on a grid, so that the credentials due in one step are re-checked in the
 * same turn, which the instance resolves as one batch. The step is a power of two, at most this, and at
 * most a quarter of the delay: grids of different steps share their points, so they still coincide.
 */
const RECHECK_GRID_MS = 256;

function scheduleIn(watch: Watch, ms: number): void {
  clearTimeout(watch.timer);
  if (watch.done) return;
  const now = Date.now();
  const step = Math.min(RECHECK_GRID_MS, 2 ** Math.floor(Math.log2(Math.max(1, ms / 4))));
  watch.dueAt = Math.ceil((now + ms) / step) * step;
  watch.timer = setTimeout(() => void check(watch), watch.dueAt - now);
  watch.timer.unref();
}

/**
 * Re-resolves the credential: one query however many subscriptions share it. A
 * call while a check is running gets the next check, which starts once that one
 * is done (it may have read the database before the change that prompted this call).
 */
function check(watch: Watch): Promise<void> {
  if (watch.queued) return watch.queued;
  if (watch.running) {
    watch.queued = watch.running.then(() => {
      watch.queued = null;
      return check(watch);
    });
    return watch.queued;
  }
  clearTimeout(watch.timer);
  watch.running = watch
    .refresh()
    .then(
      (viewer) => {
        watch.viewer = viewer;
      },
      (error: unknown) => {
        watch.error = error;
        watch.logger.warn({ err: error }, 'real-time access re-check failed: ending the subscriptions of this credential');
      },
    )
    .finally(() => {
      watch.running = null;
      // A revoked credential stays revoked, and a failed check is not trusted: new subscriptions start a new watch.
      if (!watch.viewer || watch.error) retire(watch);
      else schedule(watch);
      for (const member of watch.members.values()) member.changed();
    });
  return watch.running;
}

/** Re-checks at once, and makes deliveries wait for the verdict: what an announced access change does. */
function checkBeforeDelivering(watch: Watch): void {
  const announced = check(watch);
  watch.announced = announced;
  void announced.finally(() => {
    if (watch.announced === announced) watch.announced = null;
  });
}

/** Same user with the same role in the same organizations. */
function sameAccess(a: Viewer | null, b: Viewer): boolean {
  if (!a || a.userId !== b.userId || a.roles.size !== b.roles.size) return false;
  for (const [organizationId, role] of a.roles) if (b.roles.get(organizationId) !== role) return false;
  return true;
}

function retire(watch: Watch): void {
  if (watch.done) return;
  watch.done = true;
  clearTimeout(watch.timer);
  watch.listener.close();
  if (watch.registry.get(watch.key) === watch) watch.registry.delete(watch.key);
}

/**
 * Follows the access of a subscription's viewer without touching the database on
 * delivery: the viewer is re-resolved in the background at most every
 * `accessCheckMs`, and at once when an access change is announced on the user's
 * topic (the sequencer does it for membership events; see announceAccessChange).
 * `changed` is called after every re-check (the stream wakes up and looks).
 */
export function watchAccess(source: AccessSource, changed: () => void): AccessTicket {
  const initial = source.viewer;
  if (!initial) throw new Error('watchAccess needs a viewer');
  const { pubsub, accessCheckMs } = source.realtime;
  let registry = registries.get(pubsub);
  if (!registry) registries.set(pubsub, (registry = new Map()));
  const key = source.credentialKey ? `credential:${source.credentialKey}` : `subscription:${randomUUID()}`;

  let watch = registry.get(key);
  if (!watch || watch.done) {
    const created: Watch = {
      registry,
      key,
      viewer: initial,
      error: undefined,
      refresh: () => source.refreshViewer(),
      members: new Map(),
      running: null,
      queued: null,
      announced: null,
      timer: undefined,
      dueAt: Number.POSITIVE_INFINITY,
      listener: undefined as unknown as TopicListener,
      logger: source.logger,
      done: false,
    };
    // Synchronous, in arrival order: an access change is marked before any event published after it is looked at.
    created.listener = pubsub.listen(topics.userAccess(initial.userId), () => {
      if (!created.done) checkBeforeDelivering(created);
    });
    registry.set(key, created);
    watch = created;
  } else if (!sameAccess(watch.viewer, initial)) {
    // This subscription's viewer, resolved just now, disagrees with the last check (say, an organization created since):
    // one of them is out of date, and only the database can tell which.
    checkBeforeDelivering(watch);
  }

  const own = Symbol('subscription');
  watch.members.set(own, { accessCheckMs, changed });
  const current = watch;
  // Joining never postpones the next re-check (a credential that keeps subscribing is still re-checked on time).
  if (!current.running && Date.now() + accessCheckMs < current.dueAt) scheduleIn(current, jittered(accessCheckMs));

  return {
    current() {
      if (current.error) throw current.error;
      return current.viewer;
    },
    pending: () => current.announced,
    recheck: () => (current.done ? Promise.resolve() : check(current)),
    leave() {
      if (current.members.delete(own) && current.members.size === 0) retire(current);
    },
  };
}

/** The wake-up call of announceAccessChange: ids only, like every event on the pub/sub. */
export const accessChangedEvent = (userId: string): RealtimeEvent => ({
  stream: 'access',
  seq: 0,
  organizationId: '',
  id: randomUUID(),
  verb: 'access.changed',
  subjectType: 'user',
  subjectId: userId,
  projectId: null,
  taskId: null,
  recipientId: userId,
});

/**
 * Tells every instance that these users' access may have changed (a session or
 * API token revoked, the account deleted): their open subscriptions re-check
 * before delivering anything else. Call it after the transaction committed.
 * Membership changes need no call: their activity events do it through the sequencer.
 */
export function announceAccessChange(pubsub: Pick<RealtimePubSub, 'publish'>, userIds: readonly string[]): void {
  for (const userId of new Set(userIds)) pubsub.publish(topics.userAccess(userId), accessChangedEvent(userId));
}
