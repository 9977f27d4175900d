import { and, count, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizationMembers, users } from '../../db/schema/index';
import { afterTimeKey, timeKeysetOrder, type TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';

export type MemberRow = typeof organizationMembers.$inferSelect;
export type NewMember = typeof organizationMembers.$inferInsert;
export type MemberKey = { organizationId: string; userId: string };

const live = isNull(organizationMembers.deletedAt);

/** Live memberships by (organization, user) pair, within the viewer's organizations. */
export async function findMembersByKeys(tx: Executor, organizationIds: readonly string[], keys: readonly MemberKey[]) {
  const wanted = keys.filter((k) => organizationIds.includes(k.organizationId));
  if (wanted.length === 0) return [];
  // The two IN lists can also match pairs nobody asked for; the loader keeps only the requested keys.
  return tx
    .select()
    .from(organizationMembers)
    .where(
      and(
        anyOf(organizationMembers.organizationId, [...new Set(wanted.map((k) => k.organizationId))]),
        anyOf(organizationMembers.userId, [...new Set(wanted.map((k) => k.userId))]),
        live,
      ),
    );
}

/** Live members, oldest membership first. */
export function listMembers(tx: Executor, organizationId: string, page: TimeKeysetPage) {
  return tx
    .select()
    .from(organizationMembers)
    .where(
      and(eq(organizationMembers.organizationId, organizationId), live, afterTimeKey(organizationMembers.joinedAt, organizationMembers.userId, page.after)),
    )
    .orderBy(...timeKeysetOrder(organizationMembers.joinedAt, organizationMembers.userId))
    .limit(page.limit + 1);
}

/** A membership, live or removed, locked for the rest of the transaction. */
export async function findMembershipForUpdate(tx: Executor, organizationId: string, userId: string) {
  const [row] = await tx
    .select()
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId)))
    .for('update');
  return row ?? null;
}

/**
 * The live owners, locked in a fixed order. Every change that could remove an
 * owner takes these locks first, so two concurrent demotions cannot both see
 * "another owner is left".
 */
export function lockOwners(tx: Executor, organizationId: string) {
  return tx
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.role, 'owner'), live))
    .orderBy(organizationMembers.userId)
    .for('update');
}

export async function insertMember(tx: Executor, values: NewMember & MemberKey) {
  const [row] = await tx.insert(organizationMembers).values(values).returning();
  return row!;
}

export async function updateMember(tx: Executor, key: MemberKey, values: Partial<NewMember>) {
  const [row] = await tx
    .update(organizationMembers)
    .set(values)
    .where(and(eq(organizationMembers.organizationId, key.organizationId), eq(organizationMembers.userId, key.userId)))
    .returning();
  return row!;
}

/** Ends every live membership of the organization (it is being deleted); returns the users who were members. */
export async function removeAllMembers(tx: Executor, organizationId: string, at: Date): Promise<string[]> {
  const removed = await tx
    .update(organizationMembers)
    .set({ deletedAt: at })
    .where(and(eq(organizationMembers.organizationId, organizationId), live))
    .returning({ userId: organizationMembers.userId });
  return removed.map((row) => row.userId);
}

export async function countLiveMembers(tx: Executor, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), live));
  return row?.n ?? 0;
}

/** Whether someone with this email (any case) is a live member. */
export async function isMemberByEmail(tx: Executor, organizationId: string, email: string): Promise<boolean> {
  const [row] = await tx
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .innerJoin(users, and(eq(users.id, organizationMembers.userId), isNull(users.deletedAt)))
    .where(and(eq(organizationMembers.organizationId, organizationId), live, eq(sql`lower(${users.email})`, email.toLowerCase())))
    .limit(1);
  return row !== undefined;
}
