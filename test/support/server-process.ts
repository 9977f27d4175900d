// A real Taskgraph server in its own process, for multi-instance tests:
//   DATABASE_APP_URL=... REDIS_URL=... REDIS_CHANNEL_PREFIX=... node --import tsx test/support/server-process.ts
// Prints `ready <port>` once listening; SIGTERM stops it cleanly.
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/env';

const databaseUrl = process.env.DATABASE_APP_URL;
if (!databaseUrl) throw new Error('DATABASE_APP_URL is required');
const config = loadConfig({ ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', SEED_DEMO: 'false', MIGRATE_ON_START: 'false' });
const app = buildApp({ config, databaseUrl, database: { max: 3 } });
const { port } = await app.start(0, '127.0.0.1');
console.log(`ready ${port}`);

process.once('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
