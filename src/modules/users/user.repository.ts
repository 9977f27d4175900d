import { and, eq, exists, isNull, or } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { organizationMembers, users } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type UserRow = typeof users.$inferSelect;
/** What the API may show of a user: never the password hash. */
export type PublicUser = Omit<UserRow, 'passwordHash'>;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
  createdBy: users.createdBy,
  deletedAt: users.deletedAt,
};

/**
 * Users the viewer may see: themselves and anyone sharing one of their
 * organizations (members removed later stay visible as authors of history).
 * With no viewer: the people of those organizations.
 */
export function findVisibleUsersByIds(
  tx: Executor,
  viewerId: string | null,
  organizationIds: readonly string[],
  ids: readonly string[],
): Promise<PublicUser[]> {
  const sharesAnOrganization = exists(
    tx
      .select({ one: organizationMembers.userId })
      .from(organizationMembers)
      .where(and(eq(organizationMembers.userId, users.id), anyOf(organizationMembers.organizationId, organizationIds as string[]))),
  );
  return tx
    .select(publicColumns)
    .from(users)
    .where(and(anyOf(users.id, ids as string[]), isNull(users.deletedAt), viewerId ? or(eq(users.id, viewerId), sharesAnOrganization) : sharesAnOrganization));
}
