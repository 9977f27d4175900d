import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { LimitExceededError } from '../../shared/errors';
import { findPlanOfOrganization, type PlanRow } from './organization.repository';

type LimitName = 'projects' | 'members';
const COLUMN: Record<LimitName, keyof Pick<PlanRow, 'maxProjects' | 'maxMembers'>> = {
  projects: 'maxProjects',
  members: 'maxMembers',
};

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
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${organizationId}:${limit}`}, 0))`);
  const plan = await findPlanOfOrganization(tx, organizationId);
  const max = plan[COLUMN[limit]];
  if (max !== null && (await countCurrent()) >= max) throw new LimitExceededError(limit, max);
}
