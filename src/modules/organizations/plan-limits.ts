import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { LimitExceededError } from '../../shared/errors';
import { findPlanOfOrganization, type PlanRow } from './organization.repository';

type LimitName = 'projects' | 'members';
const COLUMN: Record<LimitName, keyof Pick<PlanRow, 'maxProjects' | 'maxMembers'>> = {
  projects: 'maxProjects',
  members: 'maxMembers',
};

/** Serialises everything that counts against one limit of one organization, until the transaction ends. */
async function lockLimit(tx: Executor, organizationId: string, limit: LimitName): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${organizationId}:${limit}`}, 0))`);
}

/**
 * Refuses one more `limit` when the organization's plan is full. The advisory
 * lock serialises concurrent creates in one organization, so two requests
 * cannot both take the last place.
 */
export async function ensureBelowPlanLimit(
  tx: Executor,
  organizationId: string,
  limit: LimitName,
  countCurrent: () => Promise<number>,
): Promise<void> {
  await lockLimit(tx, organizationId, limit);
  const plan = await findPlanOfOrganization(tx, organizationId);
  const max = plan[COLUMN[limit]];
  if (max !== null && (await countCurrent()) >= max) throw new LimitExceededError(limit, max);
}

/**
 * Refuses a plan the organization's current usage does not fit in. Takes the
 * same locks as ensureBelowPlanLimit (always in this order), so a create cannot
 * slip in between the count and the plan change.
 */
export async function ensureUsageFitsPlan(
  tx: Executor,
  organizationId: string,
  plan: PlanRow,
  countCurrent: Record<LimitName, () => Promise<number>>,
): Promise<void> {
  for (const limit of ['projects', 'members'] as const) {
    await lockLimit(tx, organizationId, limit);
    const max = plan[COLUMN[limit]];
    if (max !== null && (await countCurrent[limit]()) > max) throw new LimitExceededError(limit, max);
  }
}
