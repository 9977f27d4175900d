import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import pino from 'pino';
import type { RealtimeEvent } from '../../src/realtime/events';
import { createRealtimePubSub, type RealtimePubSub } from '../../src/realtime/pubsub';
import { createSequencer } from '../../src/realtime/sequencer';
import { newId } from '../../src/db/schema/columns';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';

let t: TestApp;
let app: postgres.Sql;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  app = postgres(t.appUrl, { max: 3, onnotice: () => {} });
});
afterAll(async () => {
  await app?.end();
  await t?.close();
});

/** Records one activity event as the app role would, inside a tenant transaction. */
async function record(sql: postgres.TransactionSql, verb: string) {
  await sql`select set_config('app.user_id', ${team.member.id}, true), set_config('app.organization_ids', ${`{${team.org.id}}`}, true)`;
  await sql`insert into activity_events (organization_id, id, actor_id, verb, subject_type, subject_id)
            values (${team.org.id}, ${newId()}, ${team.member.id}, ${verb}, 'test', ${newId()})`;
}

const assign = () => app<{ stream: string; seq: string; id: string }[]>`select * from assign_realtime_seq(1000)`;
const seqOf = async (verb: string) =>
  (await t.owner.sql<{ seq: string | null }[]>`select seq from activity_events where verb = ${verb}`)[0]?.seq ?? null;

describe('the real-time sequencer', () => {
  it('numbers committed events in creation order, without holes', async () => {
    for (const verb of ['a.1', 'a.2', 'a.3']) await app.begin((sql) => record(sql, verb));
    const numbered = await assign();
    const seqs = numbered.map((row) => Number(row.seq));
    expect(seqs).toHaveLength(3);
    expect(seqs).toEqual([seqs[0], seqs[0]! + 1, seqs[0]! + 2]);
    expect(Number(await seqOf('a.1'))).toBeLessThan(Number(await seqOf('a.3')));
    expect(await assign()).toEqual([]);
  });

  it('numbers an event that commits late after everything already numbered', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = app.begin(async (sql) => {
      await record(sql, 'late');
      await held; // still uncommitted while another event commits and is numbered
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app.begin((sql) => record(sql, 'early'));
    await assign();
    const early = Number(await seqOf('early'));
    expect(await seqOf('late')).toBeNull();
    release();
    await slow;
    await assign();
    expect(Number(await seqOf('late'))).toBeGreaterThan(early);
  });

  it('is the app role’s only way across tenants: it still cannot read other organizations’ events', async () => {
    const rows = await app`select count(*)::int as n from activity_events`;
    expect(rows[0]!.n).toBe(0);
  });

  it('publishes an event only once its number has committed (no event under a number that could still roll back)', async () => {
    for (const verb of ['v.1', 'v.2']) await app.begin((sql) => record(sql, verb));
    // While the sequencer waits for the broker to take its events, another connection looks them up.
    const published: RealtimeEvent[] = [];
    const storedWhilePublishing = new Map<string, number | null>();
    const broker = createRealtimePubSub({ logger: pino({ level: 'silent' }) });
    const pubsub: RealtimePubSub = {
      ...broker,
      publish: (_topic, event) => void published.push(event),
      async flush() {
        for (const event of published) {
          if (storedWhilePublishing.has(event.id)) continue;
          const [row] = await t.owner.sql<{ seq: string | null }[]>`select seq from activity_events where id = ${event.id}`;
          storedWhilePublishing.set(event.id, row?.seq == null ? null : Number(row.seq));
        }
      },
    };
    const sequencer = createSequencer({ databaseUrl: t.appUrl, pubsub, logger: pino({ level: 'silent' }), safetyIntervalMs: 60_000 });
    await sequencer.start();
    await sequencer.stop();
    const events = published.filter((event) => event.verb.startsWith('v.'));
    expect(events.map((event) => event.verb)).toEqual(['v.1', 'v.2']);
    for (const event of events) expect(storedWhilePublishing.get(event.id)).toBe(event.seq);
  });
});
