import DataLoader from 'dataloader';
import type { Database, Transaction } from '../db/client';
import { inTenantTransaction } from '../db/tenant-transaction';
import type { ServiceContext } from '../graphql/context';
import { createExpiringCache } from '../shared/expiring-cache';
import { asViewer } from '../shared/unit-of-work';
import type { RealtimeEvent } from './events';
import { deliveryKeyOf } from './shared-delivery';

/** The event a subscription's context is delivering right now: what its reads may share with other subscribers'. */
type Delivery = { key: string; organizationId: string };

const DELIVERY = Symbol('taskgraph.delivery');
type WithDelivery = { [DELIVERY]?: Delivery | undefined };

/** How long the subscriptions of one event share their reads: a fan-out takes well under this. */
const SHARED_FOR_MS = 5_000;
/** At most this many (event, read) loaders are kept, oldest dropped first. */
const MAX_SHARED = 2_000;

/** Marks `ctx` as delivering `event` until the next call (streams deliver one event at a time). */
export function enterDelivery(ctx: object, event: RealtimeEvent): void {
  const key = deliveryKeyOf(event);
  (ctx as WithDelivery)[DELIVERY] = key ? { key, organizationId: event.organizationId } : undefined;
}

/** Per database handle (per instance): `${event}\0${purpose}` -> the event's loader for that read. */
const shared = new WeakMap<Database, ReturnType<typeof createExpiringCache<DataLoader<string, unknown>>>>();

/**
 * A batch read that the subscriptions of one event share on this instance,
 * when `ctx` is delivering one: every subscriber's request for these keys goes
 * to one loader, which reads them once, as the event's organization alone
 * (row-level security sees that organization and no user). Returns null
 * outside a delivery: the caller reads as its viewer, as usual.
 *
 * `read` must depend on the organization and the keys alone, never on who
 * asks; whatever depends on the viewer is worked out from its result by the
 * caller. Its rows are shared: never mutate them.
 */
export function readSharedInDelivery<V>(
  ctx: { db: Database },
  purpose: string,
  keys: readonly string[],
  read: (tx: Transaction, organizationIds: readonly string[], keys: readonly string[]) => Promise<V[]>,
): Promise<V[]> | null {
  const delivery = (ctx as WithDelivery)[DELIVERY];
  if (!delivery) return null;
  let loaders = shared.get(ctx.db);
  if (!loaders) shared.set(ctx.db, (loaders = createExpiringCache(SHARED_FOR_MS, MAX_SHARED)));
  const db = ctx.db;
  const loader = loaders.getOrCreate(`${delivery.key}\0${purpose}`, () => {
    const organizationIds = [delivery.organizationId];
    return new DataLoader<string, unknown>((batch) => inTenantTransaction(db, { userId: null, organizationIds }, (tx) => read(tx, organizationIds, batch)));
  });
  return loader.loadMany(keys).then((values) =>
    values.map((value) => {
      if (value instanceof Error) throw value;
      return value as V;
    }),
  );
}

/**
 * What a loader reads by key: as the viewer, or, while a subscription delivers
 * an event, once for every subscriber of it (readSharedInDelivery). For reads
 * that depend on the organization and the keys alone: whatever depends on the
 * viewer (type scopes, policies, `viewerCan`) is applied to the rows afterwards.
 */
export function readByKeys<V>(
  ctx: ServiceContext,
  purpose: string,
  keys: readonly string[],
  read: (tx: Transaction, organizationIds: readonly string[], keys: readonly string[]) => Promise<V[]>,
): Promise<V[]> {
  return readSharedInDelivery(ctx, purpose, keys, read) ?? asViewer(ctx, (tx, organizationIds) => read(tx, organizationIds, keys));
}
