import type { Logger } from 'pino';
import type { Config } from '../../config/env';
import type { Database } from '../../db/client';
import { startPeriodicJob, type PeriodicJob } from '../../shared/periodic-job';
import { storageFor } from '../../storage/index';
import { abandonedUploadCutoff, DEFAULT_SWEEP_BATCH_SIZE, sweepAbandonedUploads } from './abandoned-uploads';

export const UPLOAD_SWEEP_INTERVAL_MS = 15 * 60_000;
const FIRST_RUN_DELAY_MS = 20_000;

export type UploadSweepJobOptions = {
  /** The app role's database (row-level security applies; the finder is a SECURITY DEFINER function). Its owner closes it. */
  db: Database;
  /** Storage driver and upload URL lifetime (ATTACHMENT_URL_TTL_SECONDS). */
  config: Config;
  logger: Logger;
  intervalMs?: number;
  firstRunDelayMs?: number;
  batchSize?: number;
  now?: () => Date;
};

/** runOnce() returns the uploads removed. */
export type UploadSweepJob = PeriodicJob<number>;

/**
 * Periodically removes uploads requested more than twice the upload URL
 * lifetime ago and never confirmed (bytes and row). Several instances may run
 * it: each upload is removed under a row lock that the others skip.
 */
export function startUploadSweepJob({
  db,
  config,
  logger,
  intervalMs = UPLOAD_SWEEP_INTERVAL_MS,
  firstRunDelayMs = FIRST_RUN_DELAY_MS,
  batchSize = DEFAULT_SWEEP_BATCH_SIZE,
  now = () => new Date(),
}: UploadSweepJobOptions): UploadSweepJob {
  return startPeriodicJob({
    name: 'abandoned upload sweep',
    pass: async () =>
      sweepAbandonedUploads(db, await storageFor(config), {
        createdBefore: abandonedUploadCutoff(now(), config.storage.urlTtlSeconds),
        batchSize,
      }),
    onPass: (removed) => {
      if (removed > 0) logger.info({ removed }, 'abandoned uploads removed');
    },
    logger,
    intervalMs,
    firstRunDelayMs,
  });
}
