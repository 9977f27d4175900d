import pino from 'pino';
import { loadConfig } from '../src/config/env';
import { prepareDatabase } from '../src/startup/database';
import { DEMO_LOGIN, seedDemo } from '../src/startup/demo-seed';
import { describeStartupError } from '../src/startup/messages';

// `npm run seed`: the demo organization, on DATABASE_URL or the embedded Postgres (migrated first unless MIGRATE_ON_START=false).
try {
  const config = loadConfig();
  const database = await prepareDatabase(config, pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }));
  try {
    const { created } = await seedDemo(database.appUrl);
    console.log(created ? 'Demo organization "Acme" created.' : 'Demo organization already there: nothing to do.');
    console.log(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  } finally {
    await database.stop();
  }
} catch (error) {
  console.error(describeStartupError(error));
  process.exit(1);
}
