import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { RealtimeEvent } from '../../src/realtime/events';
import { createSequencer } from '../../src/realtime/sequencer';
import { topics, topicsFor } from '../../src/realtime/topics';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { waitFor } from '../support/realtime-clients';
import { nextWithin, realtimeFixture } from './realtime-fixture';

let t: TestApp;
let rt: ReturnType<typeof realtimeFixture>;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  // A safety timer far beyond the test: whatever arrives was woken by the NOTIFY at commit.
  rt = realtimeFixture(t, { safetyIntervalMs: 60_000 });
  await rt.sequencer.start();
});
afterAll(async () => {
  await rt?.close();
  await t?.close();
});

describe('topics', () => {
  const base: RealtimeEvent = {
    stream: 'activity', seq: 1, organizationId: 'o1', id: 'e1', verb: 'task.updated', subjectType: 'task', subjectId: 't1',
    projectId: 'p1', taskId: 't1', recipientId: null,
  };

  it('routes activity to its organization, project and task, each name carrying the tenant', () => {
    expect(topicsFor(base)).toEqual(['org:o1:activity', 'project:o1:p1', 'task:o1:t1']);
    expect(topicsFor({ ...base, projectId: null, taskId: null })).toEqual([topics.organizationActivity('o1')]);
  });

  it("routes a membership event to its member's access topic too, so their subscriptions re-check before anything later", () => {
    const removed = { ...base, verb: 'member.removed', subjectType: 'member', subjectId: 'u2', projectId: null, taskId: null };
    expect(topicsFor(removed)).toEqual([topics.organizationActivity('o1'), topics.userAccess('u2')]);
    expect(topicsFor(base)).not.toContain(topics.userAccess('t1'));
  });

  it('routes a notification to its recipient only', () => {
    expect(topicsFor({ ...base, stream: 'notification', recipientId: 'u1' })).toEqual(['user:u1:notifications']);
  });
});

describe('the sequencer publishes', () => {
  it('a committed event within a second of its commit, woken by NOTIFY; a rolled-back one never', async () => {
    const subscription = rt.pubsub.subscribe(topics.organizationActivity(team.org.id));
    await rt.sql
      .begin(async (sql) => {
        await rt.record(team.org.id, team.member.id, ['rolled.back'], {}, sql);
        throw new Error('roll back');
      })
      .catch(() => {});
    const committedAt = Date.now();
    await rt.record(team.org.id, team.member.id, ['committed']);
    const event = await nextWithin(subscription.events, 1000);
    expect(Date.now() - committedAt).toBeLessThan(1000);
    expect(event).toMatchObject({ stream: 'activity', verb: 'committed', organizationId: team.org.id });
    expect(typeof event.seq).toBe('number');
    await subscription.close();
  });

  it('nothing while the transaction is open, even when woken, then the event once it commits', async () => {
    const subscription = rt.pubsub.subscribe(topics.organizationActivity(team.org.id));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let recorded!: () => void;
    const wasRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const open = rt.sql.begin(async (sql) => {
      await rt.record(team.org.id, team.member.id, ['held.open'], {}, sql);
      recorded();
      await committing;
    });
    await wasRecorded;
    const pending = subscription.events.next();
    await rt.sequencer.wake();
    const first = await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('nothing'), 300))]);
    expect(first).toBe('nothing');
    commit();
    await open;
    // The commit's NOTIFY wakes the sequencer; the read still pending above receives the event.
    const event = await Promise.race([pending, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event')), 1000))]);
    expect(event).toMatchObject({ done: false, value: { verb: 'held.open' } });
    await subscription.close();
  });

  it('in seq order when several instances number at once, every event exactly once', async () => {
    // Two more sequencers on the same database and the same broker, as two more API instances would run them.
    const logger = pino({ level: 'silent' });
    const others = [1, 2].map(() => createSequencer({ databaseUrl: t.appUrl, pubsub: rt.pubsub, logger, safetyIntervalMs: 60_000 }));
    await Promise.all(others.map((sequencer) => sequencer.start()));
    const received: RealtimeEvent[] = [];
    const listener = rt.pubsub.listen(topics.organizationActivity(team.org.id), (event) => {
      if (event.verb.startsWith('race.')) received.push(event);
    });
    try {
      // Twenty writers of ten transactions each; every commit wakes all three sequencers (NOTIFY), and so do these calls.
      await Promise.all(
        Array.from({ length: 20 }, async (_, writer) => {
          for (let i = 0; i < 10; i++) {
            await rt.record(team.org.id, team.member.id, [`race.${writer}.${i}`]);
            void others[i % 2]!.wake();
          }
        }),
      );
      await waitFor(() => received.length >= 200, 10_000, 'two hundred events');
      const seqs = received.map((event) => event.seq);
      expect(new Set(received.map((event) => event.id)).size).toBe(200);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      const stored = await t.owner.sql<{ seq: string }[]>`
        select seq from activity_events where organization_id = ${team.org.id} and verb like 'race.%' order by seq`;
      expect(stored.map((row) => Number(row.seq))).toEqual(seqs);
    } finally {
      listener.close();
      await Promise.all(others.map((sequencer) => sequencer.stop()));
    }
  });
});

