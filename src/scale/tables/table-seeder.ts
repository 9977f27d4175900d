import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { ScalePlan } from '../plan';

/** One COPY field: null is SQL NULL; strings are escaped by the writer. */
export type Cell = string | number | null;

/**
 * How one table is generated. Adding a table (time entries, ...)
 * is one more module exporting a TableSeeder, listed in tables/index.ts after
 * the tables it references.
 */
export type TableSeeder = {
  schemaTable: PgTable;
  /** The database table name. */
  table: string;
  /** Database column names, in the order `rows` yields cells. */
  columns: readonly string[];
  /** For the progress bar: rows it will write, exact or expected. */
  expectedRows(plan: ScalePlan): { rows: number; exact: boolean };
  /** Starts the table's part of the load transaction: what to COPY, and what to run after it. */
  load(tx: postgres.TransactionSql, plan: ScalePlan): Promise<TableLoad>;
};

export type TableLoad = {
  /** The rows, generated lazily: never the whole table in memory. */
  rows: Iterable<Cell[]>;
  /** Runs in the same transaction once the rows are in, with how many were written. */
  finish?(written: number): Promise<void>;
};

/** A table is either plain rows from the plan, or needs the database first (e.g. to reserve numbers). */
type SeederSpec = Pick<TableSeeder, 'expectedRows'> & ({ rows(plan: ScalePlan): Iterable<Cell[]> } | Pick<TableSeeder, 'load'>);

type ColumnKey<T extends PgTable> = keyof T['_']['columns'] & string;

/**
 * Names columns by their Drizzle keys, so a renamed or dropped column fails
 * the type-check instead of the COPY; the database names come from the schema.
 */
export function defineSeeder<T extends PgTable>(
  table: T,
  columns: readonly ColumnKey<T>[],
  spec: SeederSpec,
): TableSeeder {
  const byKey = getTableColumns(table) as Record<string, { name: string }>;
  return {
    schemaTable: table,
    table: getTableName(table),
    columns: columns.map((key) => byKey[key]!.name),
    expectedRows: spec.expectedRows,
    load: 'load' in spec ? spec.load : async (_tx, plan) => ({ rows: spec.rows(plan) }),
  };
}

/**
 * Columns the database cannot fill itself: NOT NULL without an SQL default
 * (a Drizzle `$defaultFn` such as the id's runs in JavaScript, not in COPY).
 * A seeder must list them all; the tests check it.
 */
export function requiredColumns(table: PgTable): string[] {
  return Object.values(getTableColumns(table))
    .filter((column) => column.notNull && column.default === undefined)
    .map((column) => column.name);
}
