import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizations, plans } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type OrganizationRow = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
export type PlanRow = typeof plans.$inferSelect;

export function findOrganizationsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(organizations)
    .where(and(anyOf(organizations.id, organizationIds as string[]), anyOf(organizations.id, ids as string[]), isNull(organizations.deletedAt)));
}

/** A live organization among the viewer's, locked for the rest of the transaction. */
export async function findOrganizationForUpdate(tx: Executor, organizationIds: readonly string[], id: string) {
  const [row] = await tx
    .select()
    .from(organizations)
    .where(and(anyOf(organizations.id, organizationIds as string[]), eq(organizations.id, id), isNull(organizations.deletedAt)))
    .for('update');
  return row ?? null;
}

/**
 * Inserts unless the id is taken (then null, for idempotent creates). A taken
 * slug is not swallowed: it raises organizations_slug_key.
 */
export async function insertOrganization(tx: Executor, values: NewOrganization & { id: string }) {
  const [row] = await tx.insert(organizations).values(values).onConflictDoNothing({ target: organizations.id }).returning();
  return row ?? null;
}

export async function updateOrganization(tx: Executor, id: string, values: Partial<NewOrganization>) {
  const [row] = await tx.update(organizations).set(values).where(eq(organizations.id, id)).returning();
  return row ?? null;
}

export async function findPlan(tx: Executor, planId: string): Promise<PlanRow | null> {
  const [row] = await tx.select().from(plans).where(eq(plans.id, planId));
  return row ?? null;
}

export async function findPlanOfOrganization(tx: Executor, organizationId: string): Promise<PlanRow> {
  const [row] = await tx
    .select({ plan: plans })
    .from(organizations)
    .innerJoin(plans, eq(plans.id, organizations.planId))
    .where(eq(organizations.id, organizationId));
  if (!row) throw new Error(`organization ${organizationId} has no plan`);
  return row.plan;
}
