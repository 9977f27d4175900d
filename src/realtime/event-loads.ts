import type { Viewer } from '../auth/viewer';
import type { Database, Transaction } from '../db/client';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { RealtimeEvent } from './events';

/** How long subscribers of one event share its load: a fan-out takes well under this, a later replay loads afresh. */
const SHARED_FOR_MS = 5_000;
/** At most this many events' loads are kept (oldest dropped first). */
const MAX_SHARED = 1_000;

type Entry = { value: Promise<unknown>; expiresAt: number };

/** Per database handle, i.e. per instance. */
const caches = new WeakMap<Database, Map<string, Entry>>();

export type EventLoad<T> = {
  /** What is loaded, e.g. `comment`: the same event may be loaded for different subscriptions in different ways. */
  purpose: string;
  /** For rows row-level security shows to one user only (a notification's recipient): that user. */
  userId?: string | null;
  /** Runs in a transaction scoped to the event's organization alone; `organizationIds` is `[event.organizationId]`. */
  load: (tx: Transaction, organizationIds: readonly string[]) => Promise<T>;
};

/**
 * What every subscriber of one event needs, loaded once per instance rather than
 * once per subscriber: the first subscriber to ask runs `load` as the event's
 * organization; the others, asking within a few seconds, share its result
 * (rows are frozen: shared, never changed). The result says nothing about who may
 * see it: each subscriber then applies the same policy functions the services
 * use, in memory, to its own viewer (see visibleTo).
 */
export function loadForEvent<T>(db: Database, event: RealtimeEvent, { purpose, userId = null, load }: EventLoad<T>): Promise<T> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const key = `${purpose}:${event.stream}:${event.id}:${userId ?? ''}`;
  const now = Date.now();
  const known = cache.get(key);
  if (known && known.expiresAt > now) return known.value as Promise<T>;

  // Entries are kept in insertion order, which is expiry order: drop the expired (and the oldest beyond the bound) from the front.
  for (const [oldKey, entry] of cache) {
    if (entry.expiresAt > now && cache.size < MAX_SHARED) break;
    cache.delete(oldKey);
  }
  const organizationIds = [event.organizationId];
  const value = inTenantTransaction(db, { userId, organizationIds }, (tx) => load(tx, organizationIds)).then(freezeRows);
  const entry = { value, expiresAt: now + SHARED_FOR_MS };
  cache.delete(key);
  cache.set(key, entry);
  // A failed load is not shared beyond those already waiting for it: the next subscriber tries again.
  value.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return value;
}

/** Shallow: the row objects themselves, which subscribers share. */
function freezeRows<T>(value: T): T {
  if (Array.isArray(value)) for (const row of value) Object.freeze(row);
  else if (value && typeof value === 'object') Object.freeze(value);
  return value;
}

/**
 * The tenant check every shared row passes before a subscriber sees it: the
 * viewer belongs to the row's organization, and the module's own policy (the
 * one its services apply) lets them see it.
 */
export function visibleTo<R extends { organizationId: string }>(viewer: Viewer | null, row: R | null | undefined, policy: (viewer: Viewer, row: R) => boolean): row is R {
  return !!row && !!viewer && viewer.roles.has(row.organizationId) && policy(viewer, row);
}
