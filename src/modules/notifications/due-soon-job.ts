import type { Logger } from 'pino';
import type { Database } from '../../db/client';
import { startPeriodicJob, type PeriodicJob } from '../../shared/periodic-job';
import { DEFAULT_DUE_SOON_HORIZON_HOURS, notifyDueSoon } from './due-soon';

export const DUE_SOON_INTERVAL_MS = 15 * 60_000;
const FIRST_RUN_DELAY_MS = 10_000;

export type DueSoonJobOptions = {
  /** The app role's database (row-level security applies; the finder is a SECURITY DEFINER function). Its owner closes it. */
  db: Database;
  logger: Logger;
  intervalMs?: number;
  horizonHours?: number;
  firstRunDelayMs?: number;
  now?: () => Date;
};

/** runOnce() returns the notifications created. */
export type DueSoonJob = PeriodicJob<number>;

/**
 * Periodically notifies assignees and watchers of tasks due within the
 * horizon. Several instances may run it: the dedupe key makes every
 * notification once-only whoever writes it.
 */
export function startDueSoonJob({
  db,
  logger,
  intervalMs = DUE_SOON_INTERVAL_MS,
  horizonHours = DEFAULT_DUE_SOON_HORIZON_HOURS,
  firstRunDelayMs = FIRST_RUN_DELAY_MS,
  now = () => new Date(),
}: DueSoonJobOptions): DueSoonJob {
  return startPeriodicJob({
    name: 'due-date notifications',
    pass: () => notifyDueSoon(db, now(), horizonHours),
    onPass: (created) => {
      if (created > 0) logger.info({ created }, 'due-date notifications sent');
    },
    logger,
    intervalMs,
    firstRunDelayMs,
  });
}
