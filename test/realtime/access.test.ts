import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizationMembers, sessions } from '../../src/db/schema/index';
import type { ActivityRow } from '../../src/modules/activity/activity.repository';
import { announceAccessChange } from '../../src/realtime/access-watch';
import { streamEvents, type StreamContext } from '../../src/realtime/stream';
import { topics } from '../../src/realtime/topics';
import { addMember, createTeam, createUser, type TestUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { createProjectRow, type ProjectFixture } from '../support/task-fixtures';
import { waitFor } from '../support/realtime-clients';
import { nextWithin, realtimeFixture } from './realtime-fixture';

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

/** A live-only stream of the project's activity for `ctx`, delivered through the shared load. */
const projectStream = (ctx: StreamContext) =>
  streamEvents<ActivityRow>(ctx, {
    topic: topics.project(team.org.id, project.id),
    after: null,
    organizationId: team.org.id,
    replay: async () => [],
    deliver: rt.sharedActivity(ctx),
  });

/** A fresh member of the team (its own session), so that revoking them touches no other test. */
async function newMember(): Promise<TestUser> {
  const user = await createUser(t);
  await addMember(t, team.org.id, user, 'member');
  return user;
}

/** Holds the context's re-checks until `release()`: a slow database cannot let an event slip past an access change. */
function holdRechecks(ctx: StreamContext) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const refresh = ctx.refreshViewer;
  ctx.refreshViewer = async () => {
    await held;
    return refresh();
  };
  return release;
}

/** Resolves once the next event of the project topic has reached this instance. */
function nextArrival() {
  const subscription = rt.pubsub.subscribe(topics.project(team.org.id, project.id));
  return nextWithin(subscription.events, 3000).finally(() => subscription.close());
}

describe('access changes', () => {
  it('an announced revocation is checked before the next event: that event and later ones are never delivered', async () => {
    const leaving = await newMember();
    const ctx = await rt.contextFor(leaving, 60_000);
    const release = holdRechecks(ctx);
    const stream = projectStream(ctx);
    const first = nextWithin(stream, 3000);
    await rt.record(team.org.id, team.member.id, ['before.revocation'], { projectId: project.id });
    expect((await first).verb).toBe('before.revocation');

    await t.owner.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, leaving.sessionId));
    // What logOut does after its transaction commits.
    announceAccessChange(rt.pubsub, [leaving.id]);
    const arrived = nextArrival();
    await rt.record(team.org.id, team.member.id, ['after.revocation'], { projectId: project.id });
    const next = stream.next();
    // The event is here while the re-check is still running: the stream waits for its verdict.
    await arrived;
    release();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('a membership event, sequenced before a later event, ends the removed member’s stream before that event', async () => {
    const leaving = await newMember();
    const ctx = await rt.contextFor(leaving, 60_000);
    const release = holdRechecks(ctx);
    const stream = projectStream(ctx);
    const first = nextWithin(stream, 3000);
    await rt.record(team.org.id, team.member.id, ['before.removal'], { projectId: project.id });
    expect((await first).verb).toBe('before.removal');

    // What removeMember does: the membership ends and its activity event commits with it (no publish of its own).
    await rt.sql.begin(async (sql) => {
      await rt.record(team.org.id, team.owner.id, ['member.removed'], { subject: { type: 'member', id: leaving.id } }, sql);
      await sql`update organization_members set deleted_at = now() where organization_id = ${team.org.id} and user_id = ${leaving.id}`;
    });
    const arrived = nextArrival();
    await rt.record(team.org.id, team.member.id, ['after.removal'], { projectId: project.id });
    const next = stream.next();
    await arrived;
    release();
    expect(await next).toEqual({ done: true, value: undefined });
  });

  it('subscriptions of one credential share one re-check, in the background as on an announcement', async () => {
    const user = await newMember();
    const refreshes = { count: 0 };
    const contexts = await Promise.all(Array.from({ length: 10 }, () => rt.contextFor(user, 60_000, refreshes)));
    const streams = contexts.map(projectStream);
    const firsts = streams.map((stream) => nextWithin(stream, 3000));
    await rt.record(team.org.id, team.member.id, ['shared.before'], { projectId: project.id });
    await Promise.all(firsts);
    expect(refreshes.count).toBe(0);

    // A role change announced through the sequencer: one re-check for the ten, and every stream goes on with the new role.
    await t.owner.db
      .update(organizationMembers)
      .set({ role: 'viewer' })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, user.id)));
    const seconds = streams.map((stream) => nextWithin(stream, 3000));
    await rt.record(team.org.id, team.owner.id, ['member.role_changed'], { subject: { type: 'member', id: user.id } });
    await rt.record(team.org.id, team.member.id, ['shared.after'], { projectId: project.id });
    expect((await Promise.all(seconds)).map((row) => row.verb)).toEqual(contexts.map(() => 'shared.after'));
    expect(refreshes.count).toBe(1);
    expect(contexts.every((ctx) => ctx.viewer?.roles.get(team.org.id) === 'viewer')).toBe(true);
    await Promise.all(streams.map((stream) => stream.return!(undefined)));
  });

  it('re-checks before refusing an event of an organization the viewer was not in: they may have just joined it', async () => {
    const joining = await newMember();
    const other = await createTeam(t);
    const refreshes = { count: 0 };
    const ctx = await rt.contextFor(joining, 60_000, refreshes);
    // A stream of the user's own topic, across organizations (like notificationAdded).
    const topic = topics.userNotifications(joining.id);
    const stream = streamEvents<ActivityRow>(ctx, { topic, after: null, replay: async () => [], deliver: rt.sharedActivity(ctx) });
    const next = nextWithin(stream, 3000);
    // Joined without any announcement (as the owner writes it directly), then an event of that organization arrives.
    await addMember(t, other.org.id, joining, 'viewer');
    await rt.record(other.org.id, other.owner.id, ['joined.org.event']);
    const row = await rt.numbered(other.org.id, 'joined.org.event');
    rt.pubsub.publish(topic, {
      stream: 'activity', seq: row.seq, organizationId: other.org.id, id: row.id, verb: 'joined.org.event',
      subjectType: 'organization', subjectId: other.org.id, projectId: null, taskId: null, recipientId: joining.id,
    });
    expect((await next).verb).toBe('joined.org.event');
    expect(refreshes.count).toBe(1);
    await stream.return!(undefined);
  });

  it('a new subscription whose viewer disagrees with the credential’s last check waits for a fresh one, instead of trusting either', async () => {
    const user = await newMember();
    const refreshes = { count: 0 };
    const first = projectStream(await rt.contextFor(user, 60_000, refreshes));
    const other = await createTeam(t);
    // Joined without any announcement; the next subscription's context is resolved afterwards and sees the new organization.
    await addMember(t, other.org.id, user, 'viewer');
    const ctx = await rt.contextFor(user, 60_000, refreshes);
    const second = streamEvents<ActivityRow>(ctx, {
      topic: topics.organizationActivity(other.org.id),
      after: null,
      organizationId: other.org.id,
      replay: async () => [],
      deliver: rt.sharedActivity(ctx),
    });
    const next = nextWithin(second, 3000);
    await rt.record(other.org.id, other.owner.id, ['in.the.new.organization']);
    expect((await next).verb).toBe('in.the.new.organization');
    expect(refreshes.count).toBe(1);
    await Promise.all([first.return!(undefined), second.return!(undefined)]);
  });

  it('re-checks idle subscriptions of one credential together, every accessCheckMs', async () => {
    const user = await newMember();
    const refreshes = { count: 0 };
    const contexts = await Promise.all(Array.from({ length: 5 }, () => rt.contextFor(user, 100, refreshes)));
    const streams = contexts.map(projectStream);
    const pending = streams.map((stream) => stream.next());
    await new Promise((resolve) => setTimeout(resolve, 450));
    // Alone, five subscriptions would have re-checked 20 times or more.
    expect(refreshes.count).toBeGreaterThanOrEqual(1);
    expect(refreshes.count).toBeLessThanOrEqual(6);
    await Promise.all(streams.map((stream) => stream.return!(undefined)));
    expect(await Promise.all(pending)).toEqual(contexts.map(() => ({ done: true, value: undefined })));
  });

  it('re-checks the background checks of many credentials that fall due together as one batch', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => newMember()));
    const refreshes = { count: 0 };
    const contexts = await Promise.all(users.map((user) => rt.contextFor(user, 400, refreshes)));
    const streams = contexts.map(projectStream);
    const pending = streams.map((stream) => stream.next());
    const before = rt.statements();
    await waitFor(() => refreshes.count >= users.length, 3000, 'every credential re-checked');
    // One transaction per credential would be five statements each; batched, a few transactions serve all thirty.
    expect(rt.statements() - before).toBeLessThan(users.length * 2);
    await Promise.all(streams.map((stream) => stream.return!(undefined)));
    expect(await Promise.all(pending)).toEqual(contexts.map(() => ({ done: true, value: undefined })));
  });
});
