import type { Viewer } from '../auth/viewer';
import type { Database, Transaction } from '../db/client';
import { inTenantTransaction } from '../db/tenant-transaction';
import { createExpiringCache } from '../shared/expiring-cache';
import type { RealtimeEvent } from './events';

/** How long subscribers of one event share its load: a fan-out takes well under this, a later replay loads afresh. */
const SHARED_FOR_MS = 5_000;
/** At most this many events' loads are kept (oldest dropped first). */
const MAX_SHARED = 1_000;

/** Per database handle, i.e. per instance. */
const caches = new WeakMap<Database, ReturnType<typeof createExpiringCache<Promise<unknown>>>>();

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
  if (!cache) caches.set(db, (cache = createExpiringCache<Promise<unknown>>(SHARED_FOR_MS, MAX_SHARED)));
  const shared = cache;
  const key = `${purpose}:${event.stream}:${event.id}:${userId ?? ''}`;
  return shared.getOrCreate(key, () => {
    const organizationIds = [event.organizationId];
    const value = inTenantTransaction(db, { userId, organizationIds }, (tx) => load(tx, organizationIds)).then(freezeRows);
    // A failed load is not shared beyond those already waiting for it: the next subscriber tries again.
    value.catch(() => shared.forget(key, value));
    return value;
  }) as Promise<T>;
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
