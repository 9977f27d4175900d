import { sql, type SQL } from 'drizzle-orm';
import type { TestApp } from './harness';

/** Counts rows as the owner (no row-level security): for "nothing was written" checks. */
export async function countRows(t: TestApp, query: SQL): Promise<number> {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from (${query}) as counted`);
  return row!.n;
}

export type MembershipRow = { role: string; deleted_at: Date | null; invited_by: string | null };

export async function membershipOf(t: TestApp, organizationId: string, userId: string): Promise<MembershipRow | undefined> {
  const [row] = await t.owner.db.execute<MembershipRow>(
    sql`select role, deleted_at, invited_by from organization_members where organization_id = ${organizationId} and user_id = ${userId}`,
  );
  return row;
}
