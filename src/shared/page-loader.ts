import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import type { Transaction } from '../db/client';
import type { ServiceContext } from '../graphql/context';
import { asViewer } from './unit-of-work';

/** One parent's page: `shape` is everything that makes two pages the same query apart from the parent. */
export type PageRequest<Shape> = { shape: Shape; parentId: string };

/**
 * A per-request loader of list pages under many parents (a thread per task,
 * tasks per project): the pages asked for in the same tick are grouped by
 * shape, and each group is read by one `readPages` call (one statement), so a
 * screen of N parents costs the same as one. Different shapes (other page
 * arguments) are separate statements in the same unit of work.
 *
 * Not cached: a page is the answer to a query, not an entity, and a mutation
 * later in the same request must see its own writes.
 */
export function pagesByShapeLoader<Shape, Row>(
  readPages: (tx: Transaction, shape: Shape, parentIds: readonly string[]) => Promise<ReadonlyMap<string, Row[]>>,
) {
  return createContextCache(
    (ctx: ServiceContext) =>
      new DataLoader<PageRequest<Shape>, Row[]>(
        async (requests) => {
          const keys = requests.map((request) => JSON.stringify(request.shape));
          const groups = new Map<string, { shape: Shape; parentIds: Set<string> }>();
          requests.forEach((request, i) => {
            if (!groups.has(keys[i]!)) groups.set(keys[i]!, { shape: request.shape, parentIds: new Set() });
            groups.get(keys[i]!)!.parentIds.add(request.parentId);
          });
          // One unit of work; the groups' statements pipeline on its connection.
          const pages = await asViewer(ctx, (tx) =>
            Promise.all([...groups.values()].map((group) => readPages(tx, group.shape, [...group.parentIds]))),
          );
          const pagesByKey = new Map([...groups.keys()].map((key, i) => [key, pages[i]!] as const));
          return requests.map((request, i) => pagesByKey.get(keys[i]!)!.get(request.parentId) ?? []);
        },
        { cache: false },
      ),
  );
}
