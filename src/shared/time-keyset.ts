import { asc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { isUuid } from '../graphql/ids';
import { ValidationError } from './errors';
import { readPage, type PageArgs } from './pagination';

/**
 * Keyset pages over (timestamp, uuid), oldest first. Timestamps are stored
 * with millisecond precision (db/schema/columns.ts), so the Date in a cursor
 * matches its row exactly and the row-value comparison can use the
 * (organization_id, time, id) indexes.
 */
export type TimeKeysetPage = { limit: number; after: [Date, string] | null };

export function readTimeKeysetPage(args: PageArgs): TimeKeysetPage {
  const page = readPage(args, 2);
  if (!page.after) return { limit: page.limit, after: null };
  const [at, id] = page.after;
  const time = typeof at === 'string' ? new Date(at) : null;
  if (!time || Number.isNaN(time.getTime()) || typeof id !== 'string' || !isUuid(id)) {
    throw ValidationError.field('after', 'The cursor is not valid for this list');
  }
  return { limit: page.limit, after: [time, id] };
}

export const timeKeyOf = (time: Date, id: string) => [time.toISOString(), id] as const;

export function timeKeysetOrder(time: AnyColumn, id: AnyColumn): SQL[] {
  return [asc(time), asc(id)];
}

export function afterTimeKey(time: AnyColumn, id: AnyColumn, after: TimeKeysetPage['after']): SQL | undefined {
  if (!after) return undefined;
  return sql`(${time}, ${id}) > (${after[0].toISOString()}::timestamptz, ${after[1]}::uuid)`;
}
