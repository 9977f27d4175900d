import { loadConfig } from '../src/config/env';
import { runMigrations } from '../src/db/migrate';
import { appRolePassword } from '../src/startup/database';
import { describeStartupError } from '../src/startup/messages';

// `npm run db:migrate`: applies drizzle/ to DATABASE_URL as its owner (deploys run this before the servers start).
try {
  const config = loadConfig();
  const ownerUrl = config.database.url;
  if (!ownerUrl) {
    console.error('DATABASE_URL is not set: it names the database to migrate (the owner connection).');
    process.exit(1);
  }
  await runMigrations(ownerUrl, appRolePassword(config, ownerUrl));
  console.log('Migrations applied.');
} catch (error) {
  console.error(describeStartupError(error));
  process.exit(1);
}
