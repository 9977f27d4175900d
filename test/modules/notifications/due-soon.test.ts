import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createDatabase, type DatabaseHandle } from '../../../src/db/client';
import { notifications, taskWatchers, tasks } from '../../../src/db/schema/index';
import { inTenantTransaction } from '../../../src/db/tenant-transaction';
import { notifyDueSoon } from '../../../src/modules/notifications/due-soon';
import { startDueSoonJob } from '../../../src/modules/notifications/due-soon-job';
import { addMember, createOrganization, createTeam, createUser } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { waitFor } from '../../support/realtime-clients';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';

const NOW = new Date('2030-03-10T12:00:00Z');

let t: TestApp;
/** The app role's connection, which the job runs on (row-level security applies; fixtures go through t.owner). */
let app: DatabaseHandle;
let team: Awaited<ReturnType<typeof createTeam>>;
let dueToday: TaskFixture;
let dueTomorrow: TaskFixture;
let elsewhere: TaskFixture;

beforeAll(async () => {
  t = await startTestApp();
  app = createDatabase(t.appUrl, { max: 2 });
  team = await createTeam(t);
  const project = await createProjectRow(t, team.org.id, team.owner.id);
  const archived = await createProjectRow(t, team.org.id, team.owner.id, { status: 'archived' });
  const task = (values: Partial<Parameters<typeof createTaskRow>[1]>, projectId = project.id) =>
    createTaskRow(t, { organizationId: team.org.id, projectId, createdBy: team.owner.id, ...values });

  dueToday = await task({ dueDate: '2030-03-10', assigneeId: team.member.id });
  dueTomorrow = await task({ dueDate: '2030-03-11', assigneeId: team.admin.id, status: 'in_progress' });
  await t.owner.db.insert(taskWatchers).values([
    { organizationId: team.org.id, taskId: dueTomorrow.id, userId: team.viewer.id, reason: 'manual' },
    // The assignee watching too still gets one notification; an explicit unwatch gets none.
    { organizationId: team.org.id, taskId: dueTomorrow.id, userId: team.admin.id, reason: 'assignee' },
    { organizationId: team.org.id, taskId: dueTomorrow.id, userId: team.owner.id, reason: 'creator', watching: false },
  ]);
  // None of these is due soon.
  await task({ dueDate: '2030-03-12', assigneeId: team.member.id });
  await task({ dueDate: '2030-03-09', assigneeId: team.member.id });
  await task({ dueDate: '2030-03-10', assigneeId: team.member.id, status: 'done' });
  await task({ dueDate: '2030-03-10', assigneeId: team.member.id, deletedAt: new Date() });
  await task({ dueDate: '2030-03-10', assigneeId: team.member.id }, archived.id);
  await task({ dueDate: '2030-03-10' });

  // Another organization: the job covers every tenant.
  const otherOwner = await createUser(t);
  const other = await createOrganization(t, otherOwner);
  const otherAssignee = await createUser(t);
  await addMember(t, other.id, otherAssignee, 'member');
  const otherProject = await createProjectRow(t, other.id, otherOwner.id);
  elsewhere = await createTaskRow(t, { organizationId: other.id, projectId: otherProject.id, createdBy: otherOwner.id, dueDate: '2030-03-11', assigneeId: otherAssignee.id });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

const dueSoonRows = () => t.owner.db.select().from(notifications).where(eq(notifications.kind, 'due_soon'));

describe('notifyDueSoon', () => {
  it('notifies assignees and watchers of open tasks due within the horizon, in every organization, once', async () => {
    expect(await notifyDueSoon(app.db, NOW)).toBe(4);
    const rows = await dueSoonRows();
    const pairs = rows.map((n) => `${n.taskId}:${n.recipientId}`).sort();
    expect(pairs).toEqual(
      [
        `${dueToday.id}:${team.member.id}`,
        `${dueTomorrow.id}:${team.admin.id}`,
        `${dueTomorrow.id}:${team.viewer.id}`,
        `${elsewhere.id}:${elsewhere.assigneeId}`,
      ].sort(),
    );
    expect(rows.every((n) => n.actorId === null && n.dedupeKey === `due:${n.taskId}:${n.taskId === dueToday.id ? '2030-03-10' : '2030-03-11'}`)).toBe(true);

    expect(await notifyDueSoon(app.db, NOW)).toBe(0);
    expect(await notifyDueSoon(app.db, new Date(NOW.getTime() + 3_600_000))).toBe(0);
    expect(await dueSoonRows()).toHaveLength(4);
  });

  it('notifies again when the due date moves', async () => {
    await t.owner.db.update(tasks).set({ dueDate: '2030-03-10' }).where(eq(tasks.id, dueTomorrow.id));
    expect(await notifyDueSoon(app.db, NOW)).toBe(2);
    expect(await notifyDueSoon(app.db, NOW)).toBe(0);
  });

  it('honours the horizon', async () => {
    const far = await createTaskRow(t, {
      organizationId: team.org.id,
      projectId: dueToday.projectId,
      createdBy: team.owner.id,
      dueDate: '2030-03-14',
      assigneeId: team.member.id,
    });
    expect(await notifyDueSoon(app.db, NOW)).toBe(0);
    // Four days ahead also reaches the task due on the 12th.
    expect(await notifyDueSoon(app.db, NOW, 24 * 4)).toBe(2);
    expect((await dueSoonRows()).filter((n) => n.taskId === far.id)).toHaveLength(1);
  });
});

describe('the due-soon job', () => {
  const logger = pino({ level: 'silent' });

  it('runs on its own, does not overlap runs, and stops', async () => {
    const later = new Date('2030-04-01T08:00:00Z');
    const task = await createTaskRow(t, {
      organizationId: team.org.id,
      projectId: dueToday.projectId,
      createdBy: team.owner.id,
      dueDate: '2030-04-01',
      assigneeId: team.viewer.id,
    });
    const job = startDueSoonJob({ db: app.db, logger, now: () => later, firstRunDelayMs: 10, intervalMs: 60_000 });
    try {
      await waitFor(async () => (await dueSoonRows()).some((n) => n.taskId === task.id), 5000, 'the first pass');
      const [a, b] = await Promise.all([job.runOnce(), job.runOnce()]);
      expect([a, b]).toEqual([0, 0]);
    } finally {
      await job.stop();
    }
    expect((await dueSoonRows()).filter((n) => n.taskId === task.id)).toHaveLength(1);
  });

  it('notifies once when two instances run it at the same time', async () => {
    const task = await createTaskRow(t, {
      organizationId: team.org.id,
      projectId: dueToday.projectId,
      createdBy: team.owner.id,
      dueDate: '2030-05-01',
      assigneeId: team.member.id,
    });
    const otherInstance = createDatabase(t.appUrl, { max: 1 });
    try {
      const at = new Date('2030-05-01T06:00:00Z');
      const created = await Promise.all([notifyDueSoon(app.db, at), notifyDueSoon(otherInstance.db, at)]);
      expect(created[0] + created[1]).toBe(1);
    } finally {
      await otherInstance.close();
    }
    expect((await dueSoonRows()).filter((n) => n.taskId === task.id)).toHaveLength(1);
  });
});

describe('find_open_tasks_due_between()', () => {
  it('is callable by the app role, which still reads no other tenant directly', async () => {
    const found = await app.db.execute<{ organization_id: string; task_id: string }>(
      sql`select organization_id, task_id from find_open_tasks_due_between('2030-03-10', '2030-03-11')`,
    );
    // Both organizations' due tasks: the finder sees across tenants.
    expect(found.map((row) => row.task_id)).toEqual(expect.arrayContaining([dueToday.id, elsewhere.id]));
    expect(new Set(found.map((row) => row.organization_id))).toEqual(new Set([team.org.id, elsewhere.organizationId]));

    // The same role reading the table: nothing without a tenant, and only that tenant's rows with one.
    expect(await app.db.select({ id: tasks.id }).from(tasks)).toEqual([]);
    const inTeam = await inTenantTransaction(app.db, { userId: null, organizationIds: [team.org.id] }, (tx) =>
      tx.select({ id: tasks.id, organizationId: tasks.organizationId }).from(tasks),
    );
    expect(inTeam.length).toBeGreaterThan(0);
    expect(inTeam.every((row) => row.organizationId === team.org.id)).toBe(true);
    expect(inTeam.map((row) => row.id)).not.toContain(elsewhere.id);
  });

  it('runs as its owner, with a fixed search path, and only the app role may execute it', async () => {
    const [definition] = await t.owner.db.execute<{ definer: boolean; config: string[] | null; acl: string[] }>(sql`
      select p.prosecdef as definer, p.proconfig as config, p.proacl::text[] as acl
      from pg_proc p where p.oid = 'find_open_tasks_due_between(date, date)'::regprocedure`);
    expect(definition!.definer).toBe(true);
    expect(definition!.config).toEqual(['search_path=public, pg_temp']);
    // No PUBLIC entry ("=X/owner"): a role other than the app role (and the owner) cannot call it.
    expect(definition!.acl.some((entry) => entry.startsWith('='))).toBe(false);
    expect(definition!.acl.some((entry) => entry.startsWith('taskgraph_app=X/'))).toBe(true);
  });
});
