import { and, count, eq, gt, isNull, not, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { invitations } from '../../db/schema/index';
import { afterTimeKey, timeKeysetOrder, type TimeKeysetPage } from '../../shared/time-keyset';
import { anyOf } from '../../db/any-of';

export type InvitationRow = typeof invitations.$inferSelect;
export type NewInvitation = typeof invitations.$inferInsert;

/** Open: neither accepted, revoked nor retired (the condition of invitations_pending_email_key). */
const open = and(isNull(invitations.acceptedAt), isNull(invitations.deletedAt), not(invitations.revoked))!;
/** Open and still usable: what counts as pending (and against the plan's member limit). */
const pending = and(open, gt(invitations.expiresAt, sql`now()`))!;

export function findInvitationsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(invitations)
    .where(and(anyOf(invitations.organizationId, organizationIds as string[]), anyOf(invitations.id, ids as string[])));
}

export async function findInvitationForUpdate(tx: Executor, organizationIds: readonly string[], id: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(anyOf(invitations.organizationId, organizationIds as string[]), eq(invitations.id, id)))
    .for('update');
  return row ?? null;
}

export async function findInvitationByTokenForUpdate(tx: Executor, organizationId: string, tokenHash: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.tokenHash, tokenHash)))
    .for('update');
  return row ?? null;
}

/** The open invitation for this email (any case), expired or not. */
export async function findOpenInvitationByEmail(tx: Executor, organizationId: string, email: string) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), eq(sql`lower(${invitations.email})`, email.toLowerCase()), open))
    .for('update');
  return row ?? null;
}

/** Pending invitations, oldest first. */
export function listPendingInvitations(tx: Executor, organizationId: string, page: TimeKeysetPage) {
  const conditions: SQL[] = [eq(invitations.organizationId, organizationId), pending];
  const after = afterTimeKey(invitations.createdAt, invitations.id, page.after);
  if (after) conditions.push(after);
  return tx
    .select()
    .from(invitations)
    .where(and(...conditions))
    .orderBy(...timeKeysetOrder(invitations.createdAt, invitations.id))
    .limit(page.limit + 1);
}

export async function countPendingInvitations(tx: Executor, organizationId: string): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(invitations)
    .where(and(eq(invitations.organizationId, organizationId), pending));
  return row?.n ?? 0;
}

export async function insertInvitation(tx: Executor, values: NewInvitation & { organizationId: string }) {
  const [row] = await tx.insert(invitations).values(values).returning();
  return row!;
}

export async function updateInvitation(tx: Executor, organizationId: string, id: string, values: Partial<NewInvitation>) {
  const [row] = await tx
    .update(invitations)
    .set(values)
    .where(and(eq(invitations.organizationId, organizationId), eq(invitations.id, id)))
    .returning();
  return row!;
}

/** Retires every open invitation of the organization (it is being deleted). */
export async function retireOpenInvitations(tx: Executor, organizationId: string, at: Date) {
  await tx
    .update(invitations)
    .set({ deletedAt: at })
    .where(and(eq(invitations.organizationId, organizationId), open));
}
