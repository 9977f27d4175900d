import { drizzle, type PostgresJsDatabase, type PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Database = PostgresJsDatabase<Schema>;
export type Transaction = PostgresJsTransaction<Schema, ExtractTablesWithRelations<Schema>>;
/** What repositories take: a transaction opened for the acting user. */
export type Executor = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  max?: number;
  /** Called once per statement sent, with its parameters; the statement-count tests and the benchmark use it. */
  onQuery?: (query: string, parameters: readonly unknown[]) => void;
};

export function createDatabase(url: string, options: DatabaseOptions = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Dates, numerics and bigints stay as Postgres sends them unless the schema says otherwise.
    connection: { application_name: 'taskgraph' },
    ...(options.onQuery ? { debug: (_connection: number, query: string, parameters: unknown[]) => options.onQuery!(query, parameters) } : {}),
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

/** The app role's connection string: the owner's URL with the role swapped, unless one is given. */
export function deriveAppUrl(ownerUrl: string, appRole = 'taskgraph_app', password?: string): string {
  const url = new URL(ownerUrl);
  url.username = appRole;
  url.password = password ?? url.password;
  return url.toString();
}
