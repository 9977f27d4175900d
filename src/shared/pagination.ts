import { ValidationError } from './errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export type PageArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

export type Page = { limit: number; after: unknown[] | null };

/**
 * Reads forward keyset pagination arguments. Cursors are opaque to clients:
 * the sort key of the last row seen, so no page ever needs OFFSET.
 */
export function readPage(args: PageArgs, cursorLength: number): Page {
  if (args.last != null || args.before != null) {
    throw ValidationError.field('last', 'Only forward pagination (first/after) is supported');
  }
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_PAGE_SIZE) {
    throw ValidationError.field('first', `first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return { limit, after: args.after ? decodeCursor(args.after, cursorLength) : null };
}

export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length) return values;
  } catch {
    // fall through to the error below
  }
  throw ValidationError.field('after', 'The cursor is not valid for this list');
}

export type Connection<T> = {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
};

/** Builds a connection from `limit + 1` fetched rows (the extra one only says there is a next page). */
export function toConnection<T>(rows: readonly T[], page: Page, sortKeyOf: (row: T) => readonly unknown[]): Connection<T> {
  const visible = rows.slice(0, page.limit);
  const edges = visible.map((node) => ({ cursor: encodeCursor(sortKeyOf(node)), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > page.limit,
      hasPreviousPage: page.after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
