import { randomUUID } from 'node:crypto';
import { initContextCache } from '@pothos/core';
import { closableIterator, idle } from '../../realtime/stream-control';
import type { GraphQLContext } from '../../graphql/context';
import type { RealtimeEvent } from '../../realtime/events';
import { topics } from '../../realtime/topics';
import { NotFoundError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { taskPolicy } from '../tasks/task.policy';
import { peekTask } from '../tasks/services/task-access';

/** The viewers now, and who caused this update (neither on the first update of a stream). */
export type PresenceUpdate = { viewerIds: string[]; joined: string | null; left: string | null };

type TaskScope = { organizationId: string; id: string };

export type PresenceContext = Pick<GraphQLContext, 'db' | 'viewer' | 'realtime' | 'presence' | 'refreshViewer' | 'logger'>;

/** Who is viewing each task now, in the order given (a task the viewer cannot see has nobody). */
export async function listTaskViewers(ctx: PresenceContext, tasks: readonly TaskScope[]): Promise<string[][]> {
  const visible = tasks.filter((task) => taskPolicy.canView(ctx.viewer, task));
  const lists = await ctx.presence.listMany(visible.map((task) => ({ organizationId: task.organizationId, taskId: task.id })));
  const byTask = new Map(visible.map((task, i) => [task, lists[i] ?? []]));
  return tasks.map((task) => byTask.get(task) ?? []);
}

/** Subscribing is viewing: a task the viewer can see (another tenant's is not found), then its viewers as they come and go. */
export async function openPresence(ctx: PresenceContext, taskId: string): Promise<AsyncIterableIterator<PresenceUpdate>> {
  requireViewer(ctx);
  const task = await asViewer(ctx, (tx, organizationIds) => peekTask(tx, organizationIds, taskId));
  if (!taskPolicy.canView(ctx.viewer, task)) throw new NotFoundError('Task', taskId);
  return presenceUpdates(ctx, task);
}

/**
 * The pub/sub carries RealtimeEvents only; a presence change travels as one
 * with seq 0 (never a cursor, never replayed). It is only a wake-up call:
 * receivers re-read the store, which is the truth.
 */
const presenceSignal = (task: TaskScope, userId: string): RealtimeEvent => ({
  stream: 'presence',
  seq: 0,
  organizationId: task.organizationId,
  id: randomUUID(),
  verb: 'presence.changed',
  subjectType: 'user',
  subjectId: userId,
  projectId: null,
  taskId: task.id,
  recipientId: null,
});

/** The updates between two viewer lists: one per user who came or went, each with the new list. */
export function presenceDiff(before: readonly string[] | null, now: string[]): PresenceUpdate[] {
  if (!before) return [{ viewerIds: now, joined: null, left: null }];
  const joined = now.filter((id) => !before.includes(id)).map((id) => ({ viewerIds: now, joined: id, left: null }));
  const left = before.filter((id) => !now.includes(id)).map((id) => ({ viewerIds: now, joined: null, left: id }));
  return [...left, ...joined];
}

/**
 * The viewer's session on the task for as long as the stream is open: joined
 * when the stream starts, refreshed (the heartbeat) every third of the TTL,
 * left when it ends. Every join or leave anywhere wakes every stream of the
 * task through the pub/sub; the heartbeat also re-reads the store, so viewers
 * whose client vanished without leaving drop out once their TTL passes. Each
 * heartbeat re-checks the viewer's access: without it the stream ends.
 */
function presenceUpdates(ctx: PresenceContext, task: TaskScope): AsyncIterableIterator<PresenceUpdate> {
  const { pubsub, accessCheckMs } = ctx.realtime;
  const topic = topics.presence(task.organizationId, task.id);
  const subscription = pubsub.subscribe(topic);
  const state = { closed: false, changed: true, wake: () => {} };

  void (async () => {
    try {
      for (;;) {
        const result = await subscription.events.next();
        if (result.done) break;
        state.changed = true;
        state.wake();
      }
    } catch (err) {
      // Without wake-ups the heartbeat still re-reads the store, only later.
      ctx.logger.warn({ err, topic }, 'presence subscription failed');
    }
  })();

  const inner = run(ctx, task, subscription.ready, state, Math.min((ctx.presence.ttlSeconds * 1000) / 3, accessCheckMs));
  const close = async () => {
    state.closed = true;
    state.wake();
    await subscription.close();
  };
  return closableIterator(inner, close);

}

async function* run(
  ctx: PresenceContext,
  task: TaskScope,
  ready: Promise<void>,
  state: { closed: boolean; changed: boolean; wake: () => void },
  heartbeatMs: number,
): AsyncGenerator<PresenceUpdate> {
  const userId = requireViewer(ctx).userId;
  const sessionKey = randomUUID();
  const announce = () => ctx.realtime.pubsub.publish(topics.presence(task.organizationId, task.id), presenceSignal(task, userId));
  const stillAllowed = async () => {
    const viewer = await ctx.refreshViewer();
    if (!viewer || !taskPolicy.canView(viewer, task)) return false;
    ctx.viewer = viewer;
    return true;
  };

  // Joining only once our subscription is in place: no change after it can be missed.
  await ready;
  if (state.closed) return;
  await ctx.presence.join(task.organizationId, task.id, userId, sessionKey);
  announce();
  try {
    let shown: string[] | null = null;
    let nextBeat = Date.now() + heartbeatMs;
    while (!state.closed) {
      if (Date.now() >= nextBeat) {
        if (!(await stillAllowed())) return;
        await ctx.presence.join(task.organizationId, task.id, userId, sessionKey);
        nextBeat = Date.now() + heartbeatMs;
        state.changed = true;
      }
      if (state.changed) {
        state.changed = false;
        const now = await ctx.presence.list(task.organizationId, task.id);
        for (const update of presenceDiff(shown, now)) {
          // Fresh DataLoaders per update: users loaded for an earlier one may have changed (or become invisible).
          Object.assign(ctx, initContextCache());
          yield update;
          if (state.closed) return;
        }
        shown = now;
        continue;
      }
      await idle(state, nextBeat - Date.now());
    }
  } finally {
    await ctx.presence.leave(task.organizationId, task.id, userId, sessionKey);
    announce();
  }
}

