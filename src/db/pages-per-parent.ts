import { and, eq, type SQL, type Subquery } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { anyOf } from './any-of';
import type { Executor } from './client';

/** A table lists hang off (a project, a task, a milestone): its id and its organization. */
export type ListParent = { table: PgTable; id: PgColumn; organizationId: PgColumn };

/**
 * The outer half of "the same page for several parents in one statement":
 * each parent of `organizationId` among `parentIds` joins laterally to `page`
 * (a subquery selecting `selection` from the child table, correlated to the
 * parent, ordered and limited: it walks its index and stops early), and the
 * rows come back grouped by parent in `orderBy` (spelled out, not left to the
 * plan), which is given the page's own columns. Parents of another
 * organization, or without rows, get an empty page.
 */
export async function readPagesPerParent<S extends Record<string, unknown>, Row>(
  tx: Executor,
  {
    parent,
    organizationId,
    parentIds,
    page,
    selection,
    orderBy,
  }: {
    parent: ListParent;
    organizationId: string;
    parentIds: readonly string[];
    page: Subquery;
    selection: S;
    orderBy: (pageColumns: S) => SQL[];
  },
): Promise<Map<string, Row[]>> {
  // The outer select names each column of the lateral page (through the subquery, not the table).
  const subquery = page as unknown as Record<string, unknown>;
  const pageColumns = Object.fromEntries(Object.keys(selection).map((key) => [key, subquery[key]])) as S;
  const rows = (await tx
    .select({ ...(pageColumns as Record<string, never>), pageParentId: parent.id })
    .from(parent.table)
    .crossJoinLateral(page)
    .where(and(eq(parent.organizationId, organizationId), anyOf(parent.id, parentIds as string[])))
    .orderBy(parent.id, ...orderBy(pageColumns))) as unknown as (Row & { pageParentId: string })[];
  const pages = new Map<string, Row[]>(parentIds.map((id) => [id, []]));
  for (const { pageParentId, ...row } of rows) pages.get(pageParentId)?.push(row as unknown as Row);
  return pages;
}
