import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { milestones } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type MilestoneRow = typeof milestones.$inferSelect;
export type NewMilestone = typeof milestones.$inferInsert;

const inOrganizations = (organizationIds: readonly string[]) => anyOf(milestones.organizationId, organizationIds as string[]);

/** Milestones by id in any state (deleted ones too). */
export function findMilestonesByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]): Promise<MilestoneRow[]> {
  return tx
    .select()
    .from(milestones)
    .where(and(inOrganizations(organizationIds), anyOf(milestones.id, ids as string[])));
}

/** Live milestones of the given projects, soonest due first (undated last). */
export function findMilestonesOfProjects(
  tx: Executor,
  organizationIds: readonly string[],
  projectIds: readonly string[],
  options: { includeDeleted?: boolean } = {},
): Promise<MilestoneRow[]> {
  return tx
    .select()
    .from(milestones)
    .where(
      and(
        inOrganizations(organizationIds),
        anyOf(milestones.projectId, projectIds as string[]),
        options.includeDeleted ? undefined : isNull(milestones.deletedAt),
      ),
    )
    .orderBy(asc(milestones.projectId), sql`${milestones.dueDate} asc nulls last`, asc(milestones.createdAt), asc(milestones.id));
}

export async function findMilestoneForUpdate(tx: Executor, organizationIds: readonly string[], id: string): Promise<MilestoneRow | null> {
  const [row] = await tx
    .select()
    .from(milestones)
    .where(and(inOrganizations(organizationIds), eq(milestones.id, id)))
    .for('update');
  return row ?? null;
}

/**
 * A live milestone, share-locked so it cannot be deleted before the
 * transaction that attaches a task to it commits.
 */
export async function findLiveMilestoneForShare(tx: Executor, organizationIds: readonly string[], id: string): Promise<MilestoneRow | null> {
  const [row] = await tx
    .select()
    .from(milestones)
    .where(and(inOrganizations(organizationIds), eq(milestones.id, id), isNull(milestones.deletedAt)))
    .for('share');
  return row ?? null;
}

export async function insertMilestone(tx: Executor, values: NewMilestone & { id: string; organizationId: string }): Promise<MilestoneRow | null> {
  const [row] = await tx.insert(milestones).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateMilestone(tx: Executor, organizationId: string, id: string, values: Partial<NewMilestone>): Promise<MilestoneRow> {
  const [row] = await tx
    .update(milestones)
    .set(values)
    .where(and(eq(milestones.organizationId, organizationId), eq(milestones.id, id)))
    .returning();
  if (!row) throw new Error(`milestone ${id} vanished inside its transaction`);
  return row;
}
