import { and, count, eq, isNull, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { projects } from '../../db/schema/index';
import { afterTimeKey, timeKeysetOrder, type TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';

export type ProjectRow = typeof projects.$inferSelect;
export type NewProject = typeof projects.$inferInsert;

export function findProjectsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(projects)
    .where(and(anyOf(projects.organizationId, organizationIds as string[]), anyOf(projects.id, ids as string[])));
}

export type ProjectListFilter = { status?: 'active' | 'archived' | null; includeDeleted?: boolean };

/** Keyset page over (created_at, id), oldest first. */
export function listProjects(
  tx: Executor,
  organizationId: string,
  filter: ProjectListFilter,
  page: TimeKeysetPage,
) {
  const conditions: (SQL | undefined)[] = [eq(projects.organizationId, organizationId)];
  if (!filter.includeDeleted) conditions.push(isNull(projects.deletedAt));
  if (filter.status) conditions.push(eq(projects.status, filter.status));
  conditions.push(afterTimeKey(projects.createdAt, projects.id, page.after));
  return tx
    .select()
    .from(projects)
    .where(and(...conditions))
    .orderBy(...timeKeysetOrder(projects.createdAt, projects.id))
    .limit(page.limit + 1);
}

export async function countLiveProjects(tx: Executor, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(projects)
    .where(and(eq(projects.organizationId, organizationId), isNull(projects.deletedAt)));
  return row?.n ?? 0;
}

export async function insertProject(tx: Executor, values: NewProject & { organizationId: string; id: string }) {
  const [row] = await tx.insert(projects).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateProject(tx: Executor, organizationId: string, id: string, values: Partial<NewProject>) {
  const [row] = await tx
    .update(projects)
    .set(values)
    .where(and(eq(projects.organizationId, organizationId), eq(projects.id, id)))
    .returning();
  return row ?? null;
}

export async function findProjectForUpdate(tx: Executor, organizationIds: readonly string[], id: string) {
  const [row] = await tx
    .select()
    .from(projects)
    .where(and(anyOf(projects.organizationId, organizationIds as string[]), eq(projects.id, id)))
    .for('update');
  return row ?? null;
}
