import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { createDatabase } from './client';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));
export const APP_ROLE = 'taskgraph_app';

/**
 * Applies the committed migrations as the owner role. The migrations create the
 * app role; when the app connects with a password, it is set here (it is
 * configuration, not schema).
 */
export async function runMigrations(ownerUrl: string, appPassword?: string): Promise<void> {
  const handle = createDatabase(ownerUrl, { max: 1 });
  try {
    await handle.sql`set client_min_messages = warning`;
    await migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER });
    if (appPassword) {
      await handle.sql.unsafe(`alter role ${APP_ROLE} with login password ${quoteLiteral(appPassword)}`);
    }
  } finally {
    await handle.close();
  }
}

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
