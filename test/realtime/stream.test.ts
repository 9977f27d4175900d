import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationMembers } from '../../src/db/schema/index';
import type { ActivityRow } from '../../src/modules/activity/activity.repository';
import { findActivityEventsAfter } from '../../src/realtime/activity-replay.repository';
import type { RealtimeEvent } from '../../src/realtime/events';
import { streamEvents, type StreamContext } from '../../src/realtime/stream';
import { topics } from '../../src/realtime/topics';
import { asViewer } from '../../src/shared/unit-of-work';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { waitFor } from '../support/realtime-clients';
import { createProjectRow, type ProjectFixture } from '../support/task-fixtures';
import { nextWithin, realtimeFixture, verbs } from './realtime-fixture';

let t: TestApp;
let rt: ReturnType<typeof realtimeFixture>;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  rt = realtimeFixture(t);
  await rt.sequencer.start();
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

const replayFrom = (ctx: StreamContext) => (afterSeq: number, limit: number) =>
  asViewer(ctx, (tx, organizationIds) =>
    findActivityEventsAfter(tx, organizationIds, { organizationId: team.org.id, projectId: project.id }, afterSeq, limit),
  );

const projectSeqs = async (afterSeq: number) =>
  (
    await t.owner.sql<{ seq: string }[]>`select seq from activity_events where project_id = ${project.id} and seq > ${afterSeq} order by seq`
  ).map((row) => Number(row.seq));

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const items: T[] = [];
  while (items.length < count) items.push(await nextWithin(iterator, 2000));
  return items;
}

describe('streamEvents', () => {
  it('replays after the cursor in pages, then continues live: every event once, in seq order', async () => {
    const where = { projectId: project.id };
    await rt.record(team.org.id, team.member.id, ['before.1', 'before.2'], where);
    await rt.sequencer.wake();
    const [afterSeq] = await projectSeqs(0); // before.1's: the client saw it
    // 120 more than the cursor: the replay needs two pages of 100.
    await rt.record(team.org.id, team.member.id, Array.from({ length: 120 }, (_, i) => `replayed.${i}`), where);
    await rt.sequencer.wake();

    const ctx = await rt.contextFor(team.viewer);
    const replay = replayFrom(ctx);
    let firstPage = true;
    const stream = streamEvents<RealtimeEvent>(ctx, {
      topic: topics.project(team.org.id, project.id),
      after: afterSeq!,
      organizationId: team.org.id,
      // While the replay runs, two events are published live (into the buffer) and are visible to the replay too.
      async replay(after, limit) {
        if (firstPage) {
          firstPage = false;
          await rt.record(team.org.id, team.member.id, ['during.1', 'during.2'], where);
          await rt.sequencer.wake();
        }
        return replay(after, limit);
      },
      deliver: async (event) => event,
    });

    const replayed = await take(stream, 123);
    await rt.record(team.org.id, team.member.id, ['live.1'], where);
    await rt.record(team.org.id, team.member.id, ['live.2'], where);
    const live = await take(stream, 2);
    const delivered = [...replayed, ...live];

    expect(verbs(delivered).slice(0, 2)).toEqual(['before.2', 'replayed.0']);
    expect(verbs(delivered).slice(-4)).toEqual(['during.1', 'during.2', 'live.1', 'live.2']);
    expect(delivered.map((event) => event.seq)).toEqual(await projectSeqs(afterSeq!));

    // Closing while idle releases the subscription at once.
    const pending = stream.next();
    await stream.return!(undefined);
    expect(await pending).toMatchObject({ done: true });
  });

  it('live only without a cursor, skipping what deliver refuses', async () => {
    const ctx = await rt.contextFor(team.member);
    const stream = streamEvents<string>(ctx, {
      topic: topics.project(team.org.id, project.id),
      after: null,
      organizationId: team.org.id,
      replay: async () => {
        throw new Error('no replay without a cursor');
      },
      deliver: async (event) => (event.verb.startsWith('hidden') ? null : event.verb),
    });
    const next = stream.next();
    await rt.record(team.org.id, team.member.id, ['hidden.1', 'shown.1'], { projectId: project.id });
    expect(await next).toEqual({ done: false, value: 'shown.1' });
    await stream.return!(undefined);
  });

  it('ends when the viewer loses their membership, checked while idle', async () => {
    const ctx = await rt.contextFor(team.viewer, 100);
    const stream = streamEvents<RealtimeEvent>(ctx, {
      topic: topics.organizationActivity(team.org.id),
      after: null,
      organizationId: team.org.id,
      replay: async () => [],
      deliver: async (event) => event,
    });
    let ended = false;
    const next = stream.next().then((result) => ((ended = true), result));
    await t.owner.db
      .update(organizationMembers)
      .set({ deletedAt: new Date() })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, team.viewer.id)));
    await waitFor(() => ended, 3000, 'the stream to end');
    expect(await next).toEqual({ done: true, value: undefined });
  });
});

/** A live-only stream of the project's activity for `ctx`, delivered through the shared load. */
const projectStream = (ctx: StreamContext) =>
  streamEvents<ActivityRow>(ctx, {
    topic: topics.project(team.org.id, project.id),
    after: null,
    organizationId: team.org.id,
    replay: async () => [],
    deliver: rt.sharedActivity(ctx),
  });

describe('fan-out', () => {
  it('loads each event once for all subscribers on the instance, with no access query on delivery', async () => {
    const refreshes = { count: 0 };
    const contexts = await Promise.all(
      Array.from({ length: 40 }, (_, i) => rt.contextFor(i % 2 ? team.member : team.admin, 60_000, refreshes)),
    );
    const streams = contexts.map(projectStream);
    const pending = streams.map((stream) => nextWithin(stream, 3000));
    const before = rt.statements();
    await rt.record(team.org.id, team.member.id, ['fanned.out'], { projectId: project.id });
    const delivered = await Promise.all(pending);

    expect(delivered.map((row) => row.verb)).toEqual(contexts.map(() => 'fanned.out'));
    // One transaction (begin, set_config, barrier, select, commit) for 40 subscribers; none of them re-resolved its viewer.
    expect(rt.statements() - before).toBeLessThanOrEqual(5);
    expect(refreshes.count).toBe(0);
    // The row is shared, not copied: nobody may change it.
    expect(Object.isFrozen(delivered[0])).toBe(true);
    expect(new Set(delivered).size).toBe(1);
    await Promise.all(streams.map((stream) => stream.return!(undefined)));
  });

  it("never delivers another organization's row, even for an event published on the subscriber's topic", async () => {
    const stranger = await createTeam(t);
    await rt.record(stranger.org.id, stranger.owner.id, ['foreign.secret']);
    const foreign = await rt.numbered(stranger.org.id, 'foreign.secret');
    const ctx = await rt.contextFor(team.member);
    const stream = projectStream(ctx);
    const next = nextWithin(stream, 3000);
    // A forged (or misrouted) event on our team's project topic, pointing at the other organization's row.
    rt.pubsub.publish(topics.project(team.org.id, project.id), {
      stream: 'activity', seq: 1, organizationId: stranger.org.id, id: foreign.id, verb: 'foreign.secret',
      subjectType: 'organization', subjectId: stranger.org.id, projectId: project.id, taskId: null, recipientId: null,
    });
    await rt.record(team.org.id, team.member.id, ['own.event'], { projectId: project.id });
    // The first thing delivered is our own event: the foreign row was loaded in its organization's scope, then refused.
    expect((await next).verb).toBe('own.event');
    await stream.return!(undefined);
  });
});

