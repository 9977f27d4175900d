import type { RealtimeEvent } from './events';

/** Names a numbered event on this instance (null for the unnumbered wake-up calls, which are never delivered as such). */
export const deliveryKeyOf = (event: RealtimeEvent): string | null => (event.seq > 0 ? `${event.stream}:${event.seq}` : null);

/** Payload object -> the numbered event it was delivered for. */
const eventOfPayload = new WeakMap<object, string>();

/**
 * Marks `payload` as what a stream delivers for `event`: a payload that depends
 * only on the event, on the subscription's arguments and on its viewer (the
 * stream's `deliver`). The subscription executor then runs the operation once
 * for all subscriptions of one event with the same document, arguments and
 * viewer, and hands each the same result (see shared-subscription-execution.ts).
 *
 * The subscription field's resolver must return the payload as it is, ignoring
 * its arguments: the resume cursor (`after`) is left out when results are
 * matched, since it only says where a stream starts.
 */
export function markSharedDelivery(payload: unknown, event: RealtimeEvent): void {
  const key = deliveryKeyOf(event);
  if (key && typeof payload === 'object' && payload !== null) eventOfPayload.set(payload, key);
}

/** The event a marked payload was delivered for, or null. */
export function sharedDeliveryOf(payload: unknown): string | null {
  return typeof payload === 'object' && payload !== null ? (eventOfPayload.get(payload) ?? null) : null;
}
