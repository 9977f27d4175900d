import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { notifications, organizationMembers, users } from '../../../src/db/schema/index';
import { notifyUsers } from '../../../src/modules/notifications/notify';
import { unwatchTask, watcherIdsOf, watchTask } from '../../../src/modules/notifications/watchers';
import { addMember, createTeam, createUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';
import { appRole } from './helpers';

let t: TestApp;
let app: ReturnType<typeof appRole>;
let team: Awaited<ReturnType<typeof createTeam>>;
let task: TaskFixture;

beforeAll(async () => {
  t = await startTestApp();
  app = appRole(t);
  team = await createTeam(t);
  const project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const inboxOf = (userId: string) => t.owner.db.select().from(notifications).where(eq(notifications.recipientId, userId));

describe('notifyUsers', () => {
  it('notifies each member once, never the actor, never non-members or removed members or deleted users', async () => {
    const removed = await createUser(t);
    await addMember(t, team.org.id, removed, 'member');
    await t.owner.db
      .update(organizationMembers)
      .set({ deletedAt: new Date() })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, removed.id)));
    const gone = await createUser(t);
    await addMember(t, team.org.id, gone, 'member');
    await t.owner.db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id));

    const created = await app.as(team.member.id, [team.org.id], (tx) =>
      notifyUsers(tx, {
        organizationId: team.org.id,
        recipientIds: [team.admin.id, team.admin.id, team.member.id, team.outsider.id, removed.id, gone.id, team.viewer.id],
        kind: 'mentioned',
        actorId: team.member.id,
        taskId: task.id,
      }),
    );
    expect(created).toBe(2);
    expect(await inboxOf(team.admin.id)).toHaveLength(1);
    expect(await inboxOf(team.viewer.id)).toMatchObject([{ kind: 'mentioned', actorId: team.member.id, taskId: task.id, readAt: null }]);
    for (const skipped of [team.member, team.outsider, removed, gone]) expect(await inboxOf(skipped.id)).toHaveLength(0);
  });

  it('skips recipients who already got a notification with the same dedupe key', async () => {
    const notify = (recipientIds: string[]) =>
      app.as(team.member.id, [team.org.id], (tx) =>
        notifyUsers(tx, { organizationId: team.org.id, recipientIds, kind: 'due_soon', actorId: null, taskId: task.id, dedupeKey: `due:${task.id}:x` }),
      );
    expect(await notify([team.owner.id])).toBe(1);
    expect(await notify([team.owner.id, team.member.id])).toBe(1);
    expect(await notify([team.owner.id, team.member.id])).toBe(0);
    const dueSoon = await t.owner.db.select().from(notifications).where(eq(notifications.kind, 'due_soon'));
    expect(dueSoon.map((n) => n.recipientId).sort()).toEqual([team.member.id, team.owner.id].sort());
  });

  it('returns 0 and writes nothing when nobody is left to notify', async () => {
    const created = await app.as(team.member.id, [team.org.id], (tx) =>
      notifyUsers(tx, { organizationId: team.org.id, recipientIds: [team.member.id], kind: 'commented', actorId: team.member.id }),
    );
    expect(created).toBe(0);
  });
});

describe('task watchers', () => {
  const as = <T>(work: Parameters<typeof app.as<T>>[2]) => app.as(team.member.id, [team.org.id], work);

  it('watches automatically, but an explicit unwatch wins until the user watches again by hand', async () => {
    expect(await as((tx) => watchTask(tx, team.org.id, task.id, team.admin.id, 'assignee'))).toBe(true);
    expect(await as((tx) => watcherIdsOf(tx, team.org.id, task.id))).toEqual([team.admin.id]);

    await as((tx) => unwatchTask(tx, team.org.id, task.id, team.admin.id));
    expect(await as((tx) => watchTask(tx, team.org.id, task.id, team.admin.id, 'commenter'))).toBe(false);
    expect(await as((tx) => watcherIdsOf(tx, team.org.id, task.id))).toEqual([]);

    expect(await as((tx) => watchTask(tx, team.org.id, task.id, team.admin.id, 'manual'))).toBe(true);
    expect(await as((tx) => watcherIdsOf(tx, team.org.id, task.id))).toEqual([team.admin.id]);
  });

  it('skips non-members and leaves removed members out of the watchers', async () => {
    expect(await as((tx) => watchTask(tx, team.org.id, task.id, team.outsider.id, 'mentioned'))).toBe(false);
    const leaving = await createUser(t);
    await addMember(t, team.org.id, leaving, 'member');
    expect(await as((tx) => watchTask(tx, team.org.id, task.id, leaving.id, 'commenter'))).toBe(true);
    expect(await as((tx) => watcherIdsOf(tx, team.org.id, task.id))).toContain(leaving.id);
    await t.owner.db
      .update(organizationMembers)
      .set({ deletedAt: new Date() })
      .where(and(eq(organizationMembers.organizationId, team.org.id), eq(organizationMembers.userId, leaving.id)));
    expect(await as((tx) => watcherIdsOf(tx, team.org.id, task.id))).not.toContain(leaving.id);
  });
});
