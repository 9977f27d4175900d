import { initContextCache } from '@pothos/core';
import type { Viewer } from '../auth/viewer';
import type { GraphQLContext } from '../graphql/context';
import { requireViewer } from '../shared/unit-of-work';
import type { RealtimeEvent } from './events';
import { realtimeBarrier } from './sequencer';

import { closableIterator, idle } from './stream-control';

const REPLAY_PAGE = 100;

export type StreamContext = Pick<GraphQLContext, 'db' | 'viewer' | 'realtime' | 'refreshViewer' | 'logger'>;

export type StreamOptions<T> = {
  /** From topics.ts only. */
  topic: string;
  /** Deliver events with seq > after from Postgres first; null: live events only. */
  after: number | null;
  /** Sequenced events of the topic the viewer may see, seq > afterSeq, in seq order, at most `limit`. */
  replay: (afterSeq: number, limit: number) => Promise<RealtimeEvent[]>;
  /** Loads the payload as the (freshly re-resolved) viewer, or null to skip the event. */
  deliver: (event: RealtimeEvent) => Promise<T | null>;
  /** The stream ends once the viewer is no longer a member of this organization. */
  organizationId?: string;
};

/**
 * A subscription's events: subscribes first (buffering), replays from Postgres
 * after the cursor, then continues live, never delivering a seq twice or out of
 * order. Every delivered event (and every `accessCheckMs` while idle)
 * re-resolves the viewer; once their session or membership is gone the stream
 * completes. Returning (client gone) releases the pub/sub subscription at once.
 */
export function streamEvents<T>(ctx: StreamContext, options: StreamOptions<T>): AsyncIterableIterator<T> {
  requireViewer(ctx);
  const subscription = ctx.realtime.pubsub.subscribe(options.topic);
  const state = { closed: false, wake: () => {} };
  const buffer: RealtimeEvent[] = [];
  let liveEnded = false;

  // Drains the subscription into our own buffer so nothing piles up in the broker client while we replay.
  void (async () => {
    try {
      for (;;) {
        const result = await subscription.events.next();
        if (result.done) break;
        buffer.push(result.value);
        state.wake();
      }
    } catch (err) {
      ctx.logger.warn({ err, topic: options.topic }, 'real-time subscription failed');
    } finally {
      liveEnded = true;
      state.wake();
    }
  })();

  const inner = run(ctx, options, subscription.ready, buffer, () => liveEnded, state);
  const close = async () => {
    state.closed = true;
    state.wake();
    await subscription.close();
  };
  return closableIterator(inner, close);

}

async function* run<T>(
  ctx: StreamContext,
  { after, replay, deliver, organizationId }: StreamOptions<T>,
  ready: Promise<void>,
  buffer: RealtimeEvent[],
  liveEnded: () => boolean,
  state: { closed: boolean; wake: () => void },
): AsyncGenerator<T> {
  let last = after ?? 0;
  let lastCheck = Date.now();

  const stillAllowed = async () => {
    lastCheck = Date.now();
    const viewer: Viewer | null = await ctx.refreshViewer();
    if (!viewer || (organizationId && !viewer.roles.has(organizationId))) return false;
    ctx.viewer = viewer;
    return true;
  };
  const payloadFor = (event: RealtimeEvent) => {
    last = event.seq;
    // New DataLoaders for each event: what the previous event loaded may be stale now.
    Object.assign(ctx, initContextCache());
    return deliver(event);
  };

  await ready;
  if (after !== null) {
    // Whatever was published before our subscription took effect is committed once this returns, so the replay sees it.
    await realtimeBarrier(ctx.db);
    for (;;) {
      const page = await replay(last, REPLAY_PAGE);
      if (state.closed || !(await stillAllowed())) return;
      for (const event of page) {
        if (event.seq <= last) continue;
        const payload = await payloadFor(event);
        if (payload !== null) yield payload;
        if (state.closed) return;
      }
      if (page.length < REPLAY_PAGE) break;
    }
  }

  for (;;) {
    if (state.closed) return;
    const event = buffer.shift();
    if (!event) {
      if (liveEnded()) return;
      await idle(state, ctx.realtime.accessCheckMs);
      if (!state.closed && Date.now() - lastCheck >= ctx.realtime.accessCheckMs && !(await stillAllowed())) return;
      continue;
    }
    // Already replayed (it arrived live while we replayed) or a repeat: skip.
    if (event.seq <= last) continue;
    if (!(await stillAllowed())) return;
    const payload = await payloadFor(event);
    if (payload !== null) yield payload;
  }
}

