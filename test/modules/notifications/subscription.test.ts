import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, isNotNull } from 'drizzle-orm';
import { notifications } from '../../../src/db/schema/index';
import { notifyUsers } from '../../../src/modules/notifications/notify';
import { encodeCursor } from '../../../src/realtime/cursor';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { subscribeSse, waitFor } from '../../support/realtime-clients';
import { appRole } from './helpers';

const NOTIFICATION_ADDED = /* GraphQL */ `
  subscription($after: String) { notificationAdded(after: $after) { id kind cursor actor { id } } }
`;

let t: TestApp;
let app: ReturnType<typeof appRole>;
let team: Awaited<ReturnType<typeof createTeam>>;

/** notificationAdded over server-sent events through the app's fetch handler. */
const subscribe = (token: string, after: string) =>
  subscribeSse(async (url, init) => t.app.yoga.fetch(url, init), 'http://test/graphql', NOTIFICATION_ADDED, { after }, token);

beforeAll(async () => {
  t = await startTestApp();
  await t.app.startRealtime();
  app = appRole(t);
  team = await createTeam(t);
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

/** The owner notifies `recipientId` (as a service would, through the app role), `kind` telling them apart. */
const notify = (recipientId: string, kind: 'assigned' | 'mentioned' | 'commented') =>
  app.as(team.owner.id, [team.org.id], (tx) => notifyUsers(tx, { organizationId: team.org.id, recipientIds: [recipientId], kind, actorId: team.owner.id }));

const sequencedOf = (recipientId: string) =>
  t.owner.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.recipientId, recipientId), isNotNull(notifications.seq)))
    .orderBy(asc(notifications.seq));

describe('notificationAdded', () => {
  it('replays the notifications after the cursor, then continues live, only the viewer’s own', async () => {
    await notify(team.member.id, 'assigned');
    await notify(team.member.id, 'mentioned');
    const [seen] = await waitFor(async () => ((await sequencedOf(team.member.id)).length === 2 ? sequencedOf(team.member.id) : null));

    const stream = subscribe(team.member.token, encodeCursor(seen!.seq!));
    try {
      const [first] = await stream.atLeast(1);
      const replayed = first!.data.notificationAdded;
      expect(replayed).toMatchObject({ kind: 'MENTIONED', actor: { id: globalId('User', team.owner.id) } });
      expect(replayed.cursor).not.toBeNull();

      await notify(team.admin.id, 'commented'); // someone else's: never delivered here
      await notify(team.member.id, 'commented');
      const own = await waitFor(async () => ((await sequencedOf(team.member.id)).length === 3 ? sequencedOf(team.member.id) : null));
      const results = await stream.atLeast(2);
      expect(results[1]!.data.notificationAdded).toMatchObject({ kind: 'COMMENTED', id: globalId('Notification', own[2]!.id) });
      // Nothing else arrives: not the admin's notification, not a repeat.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stream.results).toHaveLength(2);
    } finally {
      stream.stop();
    }
  });

  it('rejects a malformed cursor', async () => {
    const stream = subscribe(team.member.token, 'nope');
    const [result] = await stream.atLeast(1);
    expect(result!.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    stream.stop();
  });
});
