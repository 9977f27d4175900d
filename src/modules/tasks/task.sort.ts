import { and, or, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { tasks } from '../../db/schema/index';
import { isUuid } from '../../graphql/ids';
import { ValidationError } from '../../shared/errors';

export type TaskSortField = 'rank' | 'priority' | 'dueDate' | 'updatedAt';
export type SortDirection = 'asc' | 'desc';
export type TaskSort = { field: TaskSortField; direction: SortDirection };

export const DEFAULT_TASK_SORT: TaskSort = { field: 'rank', direction: 'asc' };

/**
 * How each sort orders and pages. The cursor carries the sort value as
 * Postgres prints it (`column::text`) and casts it back, so it compares
 * exactly, whatever the column's precision, without a round trip through JavaScript.
 */
const SORTS: Record<TaskSortField, { column: SQL; type: SQL; nullable: boolean; validKey: (key: string) => boolean }> = {
  rank: { column: sql`${tasks.rank}`, type: sql.raw('text'), nullable: false, validKey: (k) => /^[0-9A-Za-z]+$/.test(k) },
  priority: {
    column: sql`${tasks.priority}`,
    type: sql.raw('task_priority'),
    nullable: false,
    validKey: (k) => tasks.priority.enumValues.includes(k as never),
  },
  dueDate: {
    column: sql`${tasks.dueDate}`,
    type: sql.raw('date'),
    nullable: true,
    validKey: (k) => /^\d{4}-\d{2}-\d{2}$/.test(k) && !Number.isNaN(Date.parse(k)),
  },
  updatedAt: {
    column: sql`${tasks.updatedAt}`,
    type: sql.raw('timestamptz'),
    nullable: false,
    validKey: (k) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(k),
  },
};

/** Where the previous page ended: the sort value (null for an undated task) and the id. */
export type TaskCursor = { key: string | null; id: string };

/** The sort value of a row, selected next to it for its cursor. */
export const sortKeyColumn = (sort: TaskSort) => sql<string | null>`(${SORTS[sort.field].column})::text`;

/** Nulls (only due dates have them) come last in both directions. `columns`: the table by default, or a subquery selecting its columns. */
export function sortOrder(sort: TaskSort, columns: Record<TaskSortField | 'id', AnyColumn | SQL.Aliased> = tasks): SQL[] {
  const direction = sql.raw(sort.direction);
  return [sql`${columns[sort.field]} ${direction} nulls last`, sql`${columns.id} ${direction}`];
}

/** Rows strictly after the cursor in `sort` order. */
export function afterCursor(sort: TaskSort, cursor: TaskCursor): SQL {
  const { column, type, nullable } = SORTS[sort.field];
  const beyond = sql.raw(sort.direction === 'asc' ? '>' : '<');
  const idBeyond = sql`${tasks.id} ${beyond} ${cursor.id}`;
  // After the last dated row come all undated rows; among undated rows only the id orders.
  if (cursor.key === null) return and(sql`${column} is null`, idBeyond)!;
  const key = sql`cast(${cursor.key} as ${type})`;
  return or(
    sql`${column} ${beyond} ${key}`,
    and(sql`${column} = ${key}`, idBeyond),
    nullable ? sql`${column} is null` : undefined,
  )!;
}

/** Cursor values for a listed row: the sort (so a cursor cannot be reused under another), its value, its id. */
export const TASK_CURSOR_LENGTH = 3;
export const taskCursorValues = (sort: TaskSort, row: { sortKey: string | null; id: string }) => [sort.field, row.sortKey, row.id];

/** Reads decoded cursor values, refusing a cursor made for another sort (its values would not compare). */
export function readTaskCursor(sort: TaskSort, values: readonly unknown[] | null): TaskCursor | null {
  if (values === null) return null;
  const [field, key, id] = values;
  const spec = SORTS[sort.field];
  const keyOk = key === null ? spec.nullable : typeof key === 'string' && spec.validKey(key);
  if (field !== sort.field || !keyOk || typeof id !== 'string' || !isUuid(id)) {
    throw ValidationError.field('after', 'The cursor is not valid for this list and sort');
  }
  return { key: key as string | null, id };
}
