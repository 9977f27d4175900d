import { initContextCache } from '@pothos/core';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../shared/unit-of-work';
import { watchAccess, type AccessSource, type AccessTicket } from './access-watch';
import type { RealtimeEvent } from './events';
import { enterDelivery } from './delivery-reads';
import { markSharedDelivery } from './shared-delivery';
import { closableIterator, createSignal, deliveryTurn, type Signal } from './stream-control';

const REPLAY_PAGE = 100;

export type StreamContext = Pick<GraphQLContext, 'db' | 'viewer' | 'realtime' | 'refreshViewer' | 'logger'> &
  Pick<AccessSource, 'credentialKey'>;

export type StreamOptions<T> = {
  /** From topics.ts only. */
  topic: string;
  /** Deliver events with seq > after from Postgres first; null: live events only. */
  after: number | null;
  /** Sequenced events of the topic the viewer may see, seq > afterSeq, in seq order, at most `limit`. */
  replay: (afterSeq: number, limit: number) => Promise<RealtimeEvent[]>;
  /** The payload as `ctx.viewer` (the viewer as last checked) may see it, or null to skip the event. */
  deliver: (event: RealtimeEvent) => Promise<T | null>;
  /** The stream ends once the viewer is no longer a member of this organization. */
  organizationId?: string;
};

/**
 * A subscription's events: subscribes first (buffering), replays from Postgres
 * after the cursor, then continues live, never delivering a seq twice or out of
 * order. Access is followed by an AccessTicket, off the delivery path: the
 * viewer is re-resolved in the background every `accessCheckMs`, and before
 * anything else is delivered when an access change was announced for the
 * user; once their session or membership is gone the stream completes.
 * Returning (client gone) releases the pub/sub listener at once.
 */
export function streamEvents<T>(ctx: StreamContext, options: StreamOptions<T>): AsyncIterableIterator<T> {
  requireViewer(ctx);
  const state = { closed: false, signal: createSignal() };
  const buffer: RealtimeEvent[] = [];
  // Both callbacks run synchronously as events arrive: an access change is marked before a later event is looked at.
  const access = watchAccess(ctx, () => state.signal.wake());
  const listener = ctx.realtime.pubsub.listen(options.topic, (event) => {
    buffer.push(event);
    state.signal.wake();
  });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    listener.close();
    access.leave();
  };

  const inner = run(ctx, options, listener.ready, buffer, access, state, release);
  const close = async () => {
    state.closed = true;
    state.signal.wake();
    release();
  };
  return closableIterator(inner, close);
}

async function* run<T>(
  ctx: StreamContext,
  { after, replay, deliver, organizationId }: StreamOptions<T>,
  ready: Promise<void>,
  buffer: RealtimeEvent[],
  access: AccessTicket,
  state: { closed: boolean; signal: Signal },
  release: () => void,
): AsyncGenerator<T> {
  let last = after ?? 0;

  /**
   * Whether the viewer as last checked may still follow the stream (and see
   * `event`), setting ctx.viewer to it. No database work, unless an announced
   * access change is being checked (then it waits for the verdict), or the event
   * belongs to an organization the viewer was not in (they may have just joined).
   * Called right after taking the event from the buffer: any access change that
   * arrived before the event is already marked as pending.
   */
  const allowed = async (event: RealtimeEvent | null) => {
    const announced = access.pending();
    if (announced) await announced;
    if (event?.organizationId && !organizationId && !access.current()?.roles.has(event.organizationId)) await access.recheck();
    const viewer = access.current();
    if (!viewer || (organizationId && !viewer.roles.has(organizationId))) return false;
    ctx.viewer = viewer;
    return true;
  };
  const payloadFor = async (event: RealtimeEvent) => {
    last = event.seq;
    // New DataLoaders for each event: what the previous event loaded may be stale now.
    Object.assign(ctx, initContextCache());
    // Reads that may be shared with the event's other subscribers are, while this event is delivered (delivery-reads.ts).
    enterDelivery(ctx, event);
    const payload = await deliver(event);
    if (payload === null) return null;
    markSharedDelivery(payload, event);
    const turn = deliveryTurn();
    if (turn) await turn;
    // The client may have gone while it waited: nothing to execute then.
    return state.closed ? null : payload;
  };

  try {
    await ready;
    if (after !== null) {
      // Events are published only after their numbers commit: whatever was published before our subscription took
      // effect is visible to the replay, and whatever the replay cannot see yet will arrive live.
      for (;;) {
        const page = await replay(last, REPLAY_PAGE);
        for (const event of page) {
          if (state.closed) return;
          if (event.seq <= last) continue;
          if (!(await allowed(event))) return;
          const payload = await payloadFor(event);
          if (payload !== null) yield payload;
        }
        if (state.closed || !(await allowed(null))) return;
        if (page.length < REPLAY_PAGE) break;
      }
    }

    for (;;) {
      if (state.closed) return;
      const event = buffer.shift();
      if (!event) {
        // Woken by an event, by the stream closing, or by a finished access re-check.
        if (!(await allowed(null))) return;
        await state.signal.wait();
        continue;
      }
      // Already replayed (it arrived live while we replayed) or a repeat: skip.
      if (event.seq <= last) continue;
      if (!(await allowed(event))) return;
      const payload = await payloadFor(event);
      if (payload !== null) yield payload;
    }
  } finally {
    release();
  }
}
