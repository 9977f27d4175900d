import { and, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizationMembers, users } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

/**
 * Which of `userIds` are current members of the organization with a live
 * account: removed members and deleted users get no notifications and stop
 * counting as watchers (their rows stay, the foreign keys accept them).
 */
export async function liveMemberIdsAmong(tx: Executor, organizationId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await tx
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .innerJoin(users, and(eq(users.id, organizationMembers.userId), isNull(users.deletedAt)))
    .where(
      and(
        eq(organizationMembers.organizationId, organizationId),
        anyOf(organizationMembers.userId, userIds as string[]),
        isNull(organizationMembers.deletedAt),
      ),
    );
  return rows.map((row) => row.userId);
}
