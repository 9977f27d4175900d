import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizations, plans } from '../../db/schema/index';

export type OrganizationRow = typeof organizations.$inferSelect;
export type PlanRow = typeof plans.$inferSelect;

export function findOrganizationsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(organizations)
    .where(and(inArray(organizations.id, organizationIds as string[]), inArray(organizations.id, ids as string[]), isNull(organizations.deletedAt)));
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
