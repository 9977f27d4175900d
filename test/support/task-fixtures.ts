import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';
import { newId } from '../../src/db/schema/columns';
import { milestones, projects, tasks } from '../../src/db/schema/index';
import { globalId, uniqueSuffix } from './factories';
import type { TestApp } from './harness';

export type ProjectFixture = typeof projects.$inferSelect & { globalId: string };
export type TaskFixture = typeof tasks.$inferSelect & { globalId: string };
export type MilestoneFixture = typeof milestones.$inferSelect & { globalId: string };

/** A live, active project written as the owner (bypassing the API and its role checks). */
export async function createProjectRow(
  t: TestApp,
  organizationId: string,
  creatorId: string,
  overrides: Partial<typeof projects.$inferInsert> = {},
): Promise<ProjectFixture> {
  const [row] = await t.owner.db
    .insert(projects)
    .values({ id: newId(), organizationId, name: `Project ${uniqueSuffix()}`, createdBy: creatorId, ...overrides })
    .returning();
  return { ...row!, globalId: globalId('Project', row!.id) };
}

export async function createMilestoneRow(
  t: TestApp,
  { organizationId, projectId, createdBy, ...overrides }: { organizationId: string; projectId: string; createdBy: string } & Partial<
    typeof milestones.$inferInsert
  >,
): Promise<MilestoneFixture> {
  const [row] = await t.owner.db
    .insert(milestones)
    .values({ id: newId(), organizationId, projectId, createdBy, name: `Milestone ${uniqueSuffix()}`, ...overrides })
    .returning();
  return { ...row!, globalId: globalId('Milestone', row!.id) };
}

export type TaskFixtureInput = {
  organizationId: string;
  projectId: string;
  createdBy: string;
  title?: string;
  parentId?: string | null;
  /** Omitted: after the last sibling (same project and parent), like createTask does. */
  rank?: string;
} & Partial<Omit<typeof tasks.$inferInsert, 'organizationId' | 'projectId' | 'createdBy' | 'title' | 'parentId' | 'rank'>>;

/** The last rank among a task's future siblings, or null when it would be the first. */
async function lastSiblingRank(t: TestApp, organizationId: string, projectId: string, parentId: string | null): Promise<string | null> {
  const parent: SQL = parentId ? eq(tasks.parentId, parentId) : isNull(tasks.parentId);
  const [last] = await t.owner.db
    .select({ rank: tasks.rank })
    .from(tasks)
    .where(and(eq(tasks.organizationId, organizationId), eq(tasks.projectId, projectId), parent))
    .orderBy(desc(tasks.rank))
    .limit(1);
  return last?.rank ?? null;
}

/** One task, appended after its siblings unless `rank` is given. */
export async function createTaskRow(t: TestApp, input: TaskFixtureInput): Promise<TaskFixture> {
  const { title, parentId = null, rank, ...rest } = input;
  const [row] = await t.owner.db
    .insert(tasks)
    .values({
      id: newId(),
      ...rest,
      title: title ?? `Task ${uniqueSuffix()}`,
      parentId,
      rank: rank ?? generateKeyBetween(await lastSiblingRank(t, input.organizationId, input.projectId, parentId), null),
    })
    .returning();
  return { ...row!, globalId: globalId('Task', row!.id) };
}

/**
 * `count` sibling tasks in one INSERT (fast enough for hundreds), appended in
 * order after the existing siblings. `each(i)` customises the i-th task.
 */
export async function createTaskRows(
  t: TestApp,
  input: Omit<TaskFixtureInput, 'rank' | 'title'>,
  count: number,
  each: (index: number) => Partial<Omit<TaskFixtureInput, 'organizationId' | 'projectId' | 'parentId' | 'rank'>> = () => ({}),
): Promise<TaskFixture[]> {
  if (count === 0) return [];
  const { parentId = null, ...rest } = input;
  const ranks = generateNKeysBetween(await lastSiblingRank(t, input.organizationId, input.projectId, parentId), null, count);
  const rows = await t.owner.db
    .insert(tasks)
    .values(ranks.map((rank, i) => ({ id: newId(), title: `Task ${i + 1}`, ...rest, parentId, rank, ...each(i) })))
    .returning();
  const byRank = rows.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
  return byRank.map((row) => ({ ...row, globalId: globalId('Task', row.id) }));
}
