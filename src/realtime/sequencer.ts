import postgres from 'postgres';
import type { Logger } from 'pino';
import type { RealtimeEvent } from './events';
import type { RealtimePubSub } from './pubsub';
import { topicsFor } from './topics';

export const REALTIME_CHANNEL = 'taskgraph_events';
const BATCH_SIZE = 500;

export type Sequencer = {
  /** Listens for NOTIFY and numbers what is pending now. */
  start(): Promise<void>;
  /** Numbers and publishes everything pending (coalesced with a run in progress). */
  wake(): Promise<void>;
  stop(): Promise<void>;
};

export type SequencerOptions = {
  /** The app role's URL: the server has no other. */
  databaseUrl: string;
  pubsub: RealtimePubSub;
  logger: Logger;
  /** Safety net for a NOTIFY missed while the listening connection was reconnecting. */
  safetyIntervalMs?: number;
};

type SequencedRow = {
  stream: 'activity' | 'notification';
  seq: string;
  organization_id: string;
  id: string;
  verb: string;
  subject_type: string;
  subject_id: string;
  project_id: string | null;
  task_id: string | null;
  recipient_id: string | null;
};

const toEvent = (row: SequencedRow): RealtimeEvent => ({
  stream: row.stream,
  seq: Number(row.seq),
  organizationId: row.organization_id,
  id: row.id,
  verb: row.verb,
  subjectType: row.subject_type,
  subjectId: row.subject_id,
  projectId: row.project_id,
  taskId: row.task_id,
  recipientId: row.recipient_id,
});

/**
 * Numbers committed events (assign_realtime_seq) and publishes them. Woken by
 * the NOTIFY that commits with each event, at start, and on a slow timer. Any
 * number of instances may run it: the function serialises them.
 */
export function createSequencer({ databaseUrl, pubsub, logger, safetyIntervalMs = 2000 }: SequencerOptions): Sequencer {
  // Its own small pool; `listen` opens one more dedicated connection beside it.
  const connection = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: 'taskgraph-sequencer' } });
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let listening: { unlisten(): Promise<void> } | undefined;

  /**
   * Numbers pending events and publishes them, batch by batch, holding the
   * numbering lock at session level on one reserved connection: each batch
   * commits (assign_realtime_seq runs as a statement of its own) before its
   * events are published, and the next batch, here or on another instance, is
   * numbered only after they have been handed to the broker. So events reach
   * subscribers in seq order, and only once their numbers are visible: a
   * subscriber that replays from Postgres after subscribing misses nothing,
   * and an event is never published under a number that did not commit.
   */
  async function numberAndPublish(): Promise<void> {
    const session = await connection.reserve();
    try {
      await session.unsafe(`select pg_advisory_lock(${REALTIME_SEQ_LOCK_KEY})`);
      try {
        let numbered: number;
        do {
          const rows = await session.unsafe<SequencedRow[]>('select * from assign_realtime_seq($1)', [BATCH_SIZE]);
          const events = rows.map(toEvent).sort((a, b) => a.seq - b.seq);
          for (const event of events) for (const topic of topicsFor(event)) pubsub.publish(topic, event);
          await pubsub.flush();
          numbered = rows.length;
        } while (!stopped && numbered >= BATCH_SIZE);
      } finally {
        // If the connection broke, Postgres has released the lock with it; the unlock then fails harmlessly.
        await session.unsafe(`select pg_advisory_unlock(${REALTIME_SEQ_LOCK_KEY})`).catch(() => {});
      }
    } finally {
      session.release();
    }
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      try {
        await numberAndPublish();
      } catch (err) {
        // The events stay unnumbered and the next wake-up (NOTIFY or timer) retries them.
        if (!stopped) logger.error({ err }, 'real-time sequencer failed; retrying on the next wake-up');
      }
    } while (again && !stopped);
  }

  function wake(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = drain().finally(() => (running = null));
    return running;
  }

  return {
    async start() {
      stopped = false;
      // onlisten runs on every (re)connect of the listening connection: catch up on what was missed meanwhile.
      listening = await connection.listen(REALTIME_CHANNEL, () => void wake(), () => void wake());
      timer = setInterval(() => void wake(), safetyIntervalMs);
      timer.unref();
      await wake();
    },
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await listening?.unlisten().catch(() => {});
      await connection.end({ timeout: 5 });
    },
  };
}

/**
 * The numbering lock: assign_realtime_seq() takes it for its transaction (drizzle/0003 spells out the same key), the
 * sequencer holds it at session level from numbering until publishing is done, the scale seed while it numbers rows.
 */
export const REALTIME_SEQ_LOCK_KEY = `hashtextextended('taskgraph.realtime_seq', 0)`;
