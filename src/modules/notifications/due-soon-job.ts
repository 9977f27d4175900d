import type { Logger } from 'pino';
import { createDatabase } from '../../db/client';
import { DEFAULT_DUE_SOON_HORIZON_HOURS, notifyDueSoon } from './due-soon';

export const DUE_SOON_INTERVAL_MS = 15 * 60_000;
const FIRST_RUN_DELAY_MS = 10_000;

export type DueSoonJobOptions = {
  /**
   * The owner's connection string (PreparedDatabase.ownerUrl). Finding due
   * tasks reads every organization, which the app role cannot do by design
   * (row-level security, and it cannot even list organizations). Null (only
   * DATABASE_APP_URL configured): the job does not run and says so once.
   */
  ownerUrl: string | null;
  logger: Logger;
  intervalMs?: number;
  horizonHours?: number;
  firstRunDelayMs?: number;
  now?: () => Date;
};

export type DueSoonJob = {
  /** One pass now (waits for a pass already running instead of overlapping it). Returns notifications created. */
  runOnce(): Promise<number>;
  /** Stops the timer, waits for a pass in progress, closes the connection. */
  stop(): Promise<void>;
};

/**
 * Periodically notifies assignees and watchers of tasks due within the
 * horizon. Several instances may run it: the dedupe key makes every
 * notification once-only whoever writes it.
 */
export function startDueSoonJob({
  ownerUrl,
  logger,
  intervalMs = DUE_SOON_INTERVAL_MS,
  horizonHours = DEFAULT_DUE_SOON_HORIZON_HOURS,
  firstRunDelayMs = FIRST_RUN_DELAY_MS,
  now = () => new Date(),
}: DueSoonJobOptions): DueSoonJob {
  if (!ownerUrl) {
    logger.warn('due-date notifications are off: they need DATABASE_URL (the owner connection) to read every organization');
    return { runOnce: async () => 0, stop: async () => {} };
  }
  const database = createDatabase(ownerUrl, { max: 1 });
  let running: Promise<number> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = (): Promise<number> => {
    running ??= notifyDueSoon(database.db, now(), horizonHours)
      .then((created) => {
        if (created > 0) logger.info({ created }, 'due-date notifications sent');
        return created;
      })
      .finally(() => (running = null));
    return running;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        // A failed pass writes nothing it could not repeat: the next one retries.
        .catch((err: unknown) => logger.error({ err }, 'due-date notifications failed; retrying on the next pass'))
        .finally(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(firstRunDelayMs);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
      await database.close();
    },
  };
}
