import pino from 'pino';
import { buildApp } from '../app';
import { loadConfig } from '../config/env';
import { prepareDatabase } from '../startup/database';
import type { PrimaryMessage, WorkerMessage } from './server-pool';

/**
 * One API process of the benchmark (a node:cluster worker): the production
 * app (buildApp, the app role under row-level security, production config)
 * plus a statement counter on the pool's query hook, a peak-RSS sampler and
 * its CPU time.
 * The counts travel to the benchmark over the cluster IPC channel, so the
 * server exposes nothing extra over HTTP.
 */
const RSS_SAMPLE_MS = 50;

const send = (message: WorkerMessage) => process.send?.(message);

const config = loadConfig({
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: process.env.BENCH_PORT,
  DATABASE_URL: process.env.BENCH_OWNER_URL,
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX,
  // The primary migrated once already; workers starting side by side must not race on it.
  MIGRATE_ON_START: 'false',
  SEED_DEMO: 'false',
  // Every worker verifies tokens any of them issued; long enough for a whole run.
  JWT_SECRET: 'taskgraph-benchmark-secret-not-for-production-0123456789',
  ACCESS_TOKEN_TTL_SECONDS: '86400',
  // Per-request info lines would measure pino and the terminal, not the API.
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
});
const logger = pino({ level: config.logLevel });

let statements = 0;
let peakRss = process.memoryUsage.rss();
let cpuSince = process.cpuUsage();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, RSS_SAMPLE_MS).unref();

const database = await prepareDatabase(config, logger);
const app = buildApp({ config, databaseUrl: database.appUrl, logger, database: { onQuery: () => statements++ } });
await app.start();

process.on('message', (message: PrimaryMessage) => {
  if (message.type === 'reset') {
    statements = 0;
    peakRss = process.memoryUsage.rss();
    cpuSince = process.cpuUsage();
    send({ type: 'reset-done' });
  } else if (message.type === 'stats') {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpuSince);
    send({ type: 'stats', statements, peakRss, cpuMs: (cpu.user + cpu.system) / 1000, poolMax: config.database.poolMax });
  } else if (message.type === 'stop') {
    void app.stop().finally(() => process.exit(0));
  }
});
send({ type: 'ready' });
