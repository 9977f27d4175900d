import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import type { Cell } from './tables/table-seeder';

/** Text sent per stream write: big enough to amortise the per-chunk cost, small enough to interleave with Postgres. */
const CHUNK_CHARS = 256 * 1024;
/**
 * Rows per COPY statement. Postgres queues one foreign-key check per row and
 * key until the statement ends; splitting a million-row table keeps that
 * queue (memory) bounded and costs one round trip per statement. (The seed
 * itself sets foreign keys aside while copying, see deferred-indexes.ts, but
 * this writer does not rely on it.)
 */
const ROWS_PER_STATEMENT = 100_000;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format. */
function field(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'number') return String(cell);
  return NEEDS_ESCAPE.test(cell) ? cell.replace(/[\\\t\n\r]/g, (char) => ESCAPES[char]!) : cell;
}

function line(row: Cell[]): string {
  let text = field(row[0]!);
  for (let i = 1; i < row.length; i++) text += `\t${field(row[i]!)}`;
  return `${text}\n`;
}

/**
 * Streams `rows` into `table` with COPY FROM STDIN (several statements for a
 * big table); generation and loading overlap through stream back-pressure.
 * Returns the number of rows written; `onRows` is called as chunks go out.
 */
export async function copyRows(
  sql: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  rows: Iterable<Cell[]>,
  onRows: (count: number) => void,
): Promise<number> {
  const iterator = rows[Symbol.iterator]();
  const cursor: RowCursor = { iterator, current: iterator.next() };
  let written = 0;
  const sent = (count: number) => {
    written += count;
    onRows(count);
  };
  while (!cursor.current.done) {
    const query = sql`copy ${sql(table)} (${sql([...columns])}) from stdin`;
    const failed = serverFailure(query);
    const target = await query.writable();
    await Promise.race([pipeline(Readable.from(statementChunks(cursor, sent), { objectMode: false }), target), failed]);
  }
  return written;
}

type RowCursor = { iterator: Iterator<Cell[]>; current: IteratorResult<Cell[]> };

/** The next ROWS_PER_STATEMENT rows as COPY text, in chunks; `sent` counts each chunk's rows. */
function* statementChunks(cursor: RowCursor, sent: (rows: number) => void): Generator<string> {
  let chunk = '';
  let pending = 0;
  for (let rows = 0; !cursor.current.done && rows < ROWS_PER_STATEMENT; rows++) {
    chunk += line(cursor.current.value);
    pending++;
    cursor.current = cursor.iterator.next();
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      sent(pending);
      chunk = '';
      pending = 0;
    }
  }
  if (pending > 0) {
    yield chunk;
    sent(pending);
  }
}

/**
 * Rejects with the server's error for a COPY. postgres.js 3.4.9 never settles
 * the writable when the server refuses the data after the input ended (a
 * foreign key checked at the end of the statement, say): the pipeline would
 * hang with the transaction left open and the error dropped
 * (porsager/postgres#1173, fix proposed in #1183). The query object still
 * receives the error through its `reject`, so it is tapped there.
 */
function serverFailure(query: postgres.PendingQuery<postgres.Row[]>): Promise<never> {
  const pending = query as unknown as { reject: (error: unknown) => void };
  const forward = pending.reject;
  return new Promise<never>((_, reject) => {
    pending.reject = (error) => {
      reject(error);
      forward(error);
    };
  });
}
