import type { Logger } from 'pino';
import type { Config } from '../config/env';
import { deriveAppUrl } from '../db/client';
import { startEmbeddedPostgres } from '../db/embedded';
import { postgresErrorOf } from '../db/errors';
import { APP_ROLE, runMigrations } from '../db/migrate';
import { StartupError } from './messages';

export type PreparedDatabase = {
  /** The owner's connection (migrations); null when only DATABASE_APP_URL was given. */
  ownerUrl: string | null;
  /** What the server connects with: the taskgraph_app role, under row-level security. */
  appUrl: string;
  /** Stops the embedded Postgres when this process started it; otherwise does nothing. */
  stop(): Promise<void>;
};

/**
 * Finds (or starts) the database and brings its schema up to date:
 * DATABASE_URL / DATABASE_APP_URL when given, else an embedded Postgres under
 * EMBEDDED_POSTGRES_DIR; migrations run as the owner when MIGRATE_ON_START.
 */
export async function prepareDatabase(config: Config, logger: Logger): Promise<PreparedDatabase> {
  const { url, appUrl, embeddedDir, embeddedPort, migrateOnStart } = config.database;
  let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | null = null;
  if (!url && !appUrl) {
    logger.info({ dir: embeddedDir, port: embeddedPort }, 'no DATABASE_URL: starting the embedded Postgres');
    embedded = await startEmbeddedPostgres(embeddedDir, embeddedPort);
  }
  const ownerUrl = url ?? embedded?.url ?? null;
  try {
    const password = ownerUrl ? appRolePassword(config, ownerUrl) : undefined;
    if (migrateOnStart && ownerUrl) {
      await migrate(ownerUrl, password, Boolean(embedded));
      logger.info('database migrations are up to date');
    }
    return {
      ownerUrl,
      appUrl: appUrl ?? deriveAppUrl(ownerUrl!, APP_ROLE, password),
      stop: async () => {
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

async function migrate(ownerUrl: string, password: string | undefined, embedded: boolean): Promise<void> {
  try {
    await runMigrations(ownerUrl, password);
  } catch (error) {
    const pg = postgresErrorOf(error);
    if (pg?.code !== '42710' && pg?.code !== '42P07') throw error;
    // An object the migration journal does not know: the migrations were rewritten after this database ran them.
    const where = embedded ? 'the embedded database (delete its EMBEDDED_POSTGRES_DIR to start over)' : redact(ownerUrl);
    throw new StartupError(
      `Migrations do not match ${where}: ${(pg as { message?: string }).message ?? pg.code}.\n` +
        'drizzle/ was probably regenerated after this database was migrated; recreate the database.',
    );
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * The password the app role logs in with, and that migrations set on it:
 * DATABASE_APP_PASSWORD, else the one in DATABASE_APP_URL, else the owner's
 * (so a password-authenticated server such as the embedded one accepts the
 * derived app URL with no extra setting). Undefined with trust authentication.
 */
export function appRolePassword(config: Config, ownerUrl: string): string | undefined {
  return config.database.appPassword ?? passwordIn(config.database.appUrl) ?? passwordIn(ownerUrl);
}

function passwordIn(url: string | undefined): string | undefined {
  const password = url ? new URL(url).password : '';
  return password ? decodeURIComponent(password) : undefined;
}
