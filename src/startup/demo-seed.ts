import { and, isNull, sql } from 'drizzle-orm';
import { generateNKeysBetween } from 'fractional-indexing';
import { hashPassword } from '../auth/passwords';
import { createDatabase, type Transaction } from '../db/client';
import { postgresErrorOf } from '../db/errors';
import { newId } from '../db/schema/columns';
import {
  labels,
  milestones,
  organizationMembers,
  organizations,
  projects,
  taskDependencies,
  taskLabels,
  tasks,
  users,
} from '../db/schema/index';
import { inTenantTransaction } from '../db/tenant-transaction';
import {
  DEMO_DEPENDENCIES,
  DEMO_LABELS,
  DEMO_LOGIN,
  DEMO_ORGANIZATION,
  DEMO_PEOPLE,
  DEMO_PROJECTS,
  type DemoTask,
} from './demo-data';

export { DEMO_LOGIN };

export type DemoSeedResult = { created: boolean };

/**
 * Writes the demo organization (demo-data.ts) unless the demo user exists.
 * Connects as the app role and writes inside a tenant transaction for the new
 * organization: the rows pass the same row-level security as any request.
 * Two instances seeding at once: the loser hits the unique email and skips.
 */
export async function seedDemo(appUrl: string): Promise<DemoSeedResult> {
  const { db, close } = createDatabase(appUrl, { max: 1 });
  try {
    if (await demoUserExists(db)) return { created: false };
    const passwordHash = await hashPassword(DEMO_LOGIN.password);
    const people = new Map(DEMO_PEOPLE.map((person) => [person.key, { ...person, id: newId() }]));
    const organizationId = newId();
    const actor = { userId: people.get('demo')!.id, organizationIds: [organizationId] };
    await inTenantTransaction(db, actor, (tx) => writeDemo(tx, organizationId, people, passwordHash));
    return { created: true };
  } catch (error) {
    if (postgresErrorOf(error)?.code === '23505' && (await demoUserExists(db))) return { created: false };
    throw error;
  } finally {
    await close();
  }
}

async function demoUserExists(db: Pick<Transaction, 'select'>): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${DEMO_LOGIN.email}`, isNull(users.deletedAt)))
    .limit(1);
  return rows.length > 0;
}

type Person = (typeof DEMO_PEOPLE)[number] & { id: string };

async function writeDemo(tx: Transaction, organizationId: string, people: Map<string, Person>, passwordHash: string) {
  const idOf = (key: string) => people.get(key)!.id;
  const createdBy = idOf('demo');
  const scoped = { organizationId, createdBy };

  await tx.insert(users).values([...people.values()].map(({ id, name, email }) => ({ id, name, email, passwordHash })));
  await tx.insert(organizations).values({ id: organizationId, ...DEMO_ORGANIZATION, createdBy });
  await tx
    .insert(organizationMembers)
    .values([...people.values()].map(({ id, role }) => ({ ...scoped, userId: id, role, invitedBy: role === 'owner' ? null : createdBy })));

  const labelIds = new Map(DEMO_LABELS.map((label) => [label.key, newId()]));
  await tx.insert(labels).values(DEMO_LABELS.map(({ key, name, color }) => ({ ...scoped, id: labelIds.get(key)!, name, color })));

  const taskRows: (typeof tasks.$inferInsert)[] = [];
  const labelRows: (typeof taskLabels.$inferInsert)[] = [];
  const taskIds = new Map<string, string>();
  for (const project of DEMO_PROJECTS) {
    const projectId = newId();
    await tx.insert(projects).values({ ...scoped, id: projectId, name: project.name, description: project.description, leadId: idOf(project.lead) });
    const milestoneId = project.milestone ? newId() : null;
    if (project.milestone) {
      const { name, description, dueInDays } = project.milestone;
      await tx.insert(milestones).values({ ...scoped, id: milestoneId!, projectId, name, description, dueDate: daysFromNow(dueInDays) });
    }
    // One rank sequence per project, in the order the data lists tasks (parents before their subtasks).
    const flat = flatten(project.tasks);
    const ranks = generateNKeysBetween(null, null, flat.length);
    const ids = flat.map(() => newId());
    flat.forEach(({ task, parentIndex }, index) => {
      const id = ids[index]!;
      if (task.key) taskIds.set(task.key, id);
      taskRows.push({
        ...scoped,
        id,
        projectId,
        parentId: parentIndex === null ? null : ids[parentIndex]!,
        milestoneId: task.inMilestone ? milestoneId : null,
        title: task.title,
        description: task.description ?? '',
        status: task.status,
        priority: task.priority ?? 'none',
        assigneeId: task.assignee ? idOf(task.assignee) : null,
        estimateMinutes: task.estimateMinutes ?? null,
        dueDate: task.dueInDays === undefined ? null : daysFromNow(task.dueInDays),
        completedAt: task.status === 'done' ? new Date() : null,
        rank: ranks[index]!,
      });
      for (const label of task.labels ?? []) labelRows.push({ ...scoped, taskId: id, labelId: labelIds.get(label)! });
    });
  }
  await tx.insert(tasks).values(taskRows);
  await tx.insert(taskLabels).values(labelRows);
  await tx.insert(taskDependencies).values(
    DEMO_DEPENDENCIES.map(({ from, to, type }) => ({ ...scoped, fromTaskId: taskIds.get(from)!, toTaskId: taskIds.get(to)!, type })),
  );
}

/** Depth-first, each task followed by its subtasks; parentIndex points into the same list. */
function flatten(list: DemoTask[], parentIndex: number | null = null, into: { task: DemoTask; parentIndex: number | null }[] = []) {
  for (const task of list) {
    const index = into.push({ task, parentIndex }) - 1;
    flatten(task.subtasks ?? [], index, into);
  }
  return into;
}

function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}
