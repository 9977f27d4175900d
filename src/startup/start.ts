import pino, { type Logger } from 'pino';
import { buildApp, type App } from '../app';
import type { Config } from '../config/env';
import { createDatabase } from '../db/client';
import { startUploadSweepJob } from '../modules/attachments/abandoned-uploads-job';
import { startDueSoonJob } from '../modules/notifications/due-soon-job';
import { prepareDatabase } from './database';
import { DEMO_LOGIN, seedDemo } from './demo-seed';

export type RunningTaskgraph = {
  config: Config;
  logger: Logger;
  url: string;
  port: number;
  /** The demo login when SEED_DEMO is on and the demo organization is there. */
  demo: typeof DEMO_LOGIN | null;
  /** Stops accepting, lets requests finish (forcing connections shut after half the timeout), closes the pool and the embedded Postgres. */
  stop(): Promise<void>;
};

/**
 * Everything `npm start` does before it prints the banner: database (embedded
 * when none is configured), migrations, the demo organization, listening.
 * Failing half-way undoes what was started.
 */
export async function startTaskgraph(config: Config, { logger: givenLogger }: { logger?: Logger } = {}): Promise<RunningTaskgraph> {
  const logger = givenLogger ?? pino({ level: config.logLevel });
  const database = await prepareDatabase(config, logger);
  let app: App | undefined;
  try {
    const demo = config.seedDemo ? await seedDemoOrWarn(database.appUrl, logger) : null;
    app = buildApp({ config, databaseUrl: database.appUrl, logger });
    const { url, port } = await app.start();
    const stopJobs = startBackgroundJobs(config, database.appUrl, logger);
    const started = app;
    let stopping: Promise<void> | undefined;
    return {
      config,
      logger,
      url,
      port,
      demo,
      stop: () => (stopping ??= stopJobs().then(() => stopAll(started, database.stop, config.shutdownTimeoutMs / 2))),
    };
  } catch (error) {
    await app?.stop().catch(() => {});
    await database.stop().catch(() => {});
    throw error;
  }
}

/**
 * The periodic jobs, on a small pool of their own as the app role (like the
 * API, under row-level security: they find their work across organizations
 * through SECURITY DEFINER functions, then work tenant by tenant). Every
 * instance runs them; they are safe to run concurrently. Returns their stop.
 */
function startBackgroundJobs(config: Config, appUrl: string, logger: Logger): () => Promise<void> {
  const jobsDatabase = createDatabase(appUrl, { max: 2 });
  const jobs = [startDueSoonJob({ db: jobsDatabase.db, logger }), startUploadSweepJob({ db: jobsDatabase.db, config, logger })];
  return async () => {
    await Promise.all(jobs.map((job) => job.stop()));
    await jobsDatabase.close();
  };
}

async function stopAll(app: App, stopDatabase: () => Promise<void>, drainMs: number): Promise<void> {
  // server.close() waits for open connections (SSE, WebSockets, keep-alive); past the drain time, cut them.
  const forceClose = setTimeout(() => app.server.closeAllConnections(), drainMs);
  forceClose.unref();
  try {
    await app.stop();
  } finally {
    clearTimeout(forceClose);
    await stopDatabase();
  }
}

/** The demo data is a convenience: a failure to write it is reported, not fatal. */
async function seedDemoOrWarn(appUrl: string, logger: Logger): Promise<typeof DEMO_LOGIN | null> {
  try {
    const { created } = await seedDemo(appUrl);
    logger.info(created ? 'demo organization "Acme" created' : 'demo organization already there');
    return DEMO_LOGIN;
  } catch (error) {
    logger.warn({ err: error }, 'could not write the demo organization; starting without it');
    return null;
  }
}
