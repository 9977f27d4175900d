// The API in its own process for the fan-out benchmark, so the 1,000 clients do not share its event loop:
//   DATABASE_APP_URL=... [REDIS_URL=...] JWT_SECRET=... node --import tsx src/bench-fanout/server-process.ts
// Prints `ready <port>` once listening; SIGTERM stops it.
import { buildApp } from '../app';
import { loadConfig } from '../config/env';

const databaseUrl = process.env.DATABASE_APP_URL;
if (!databaseUrl) throw new Error('DATABASE_APP_URL is required');
const config = loadConfig({ ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', SEED_DEMO: 'false', MIGRATE_ON_START: 'false' });
const app = buildApp({ config, databaseUrl });
const { port } = await app.start(0, '127.0.0.1');
console.log(`ready ${port}`);

process.once('SIGTERM', () => {
  app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
