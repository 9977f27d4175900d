import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { users } from '../../db/schema/index';
import type { PublicUser, UserRow } from '../users/user.repository';

/** Drops the password hash before a user row leaves the auth module. */
export function withoutPassword({ passwordHash: _passwordHash, ...user }: UserRow): PublicUser {
  return user;
}

/** The live account for an email, compared case-insensitively (the users_email_key index is on lower(email)). */
export async function findLiveUserByEmail(tx: Executor, email: string): Promise<UserRow | null> {
  const [row] = await tx
    .select()
    .from(users)
    .where(and(eq(sql`lower(${users.email})`, sql`lower(${email})`), isNull(users.deletedAt)))
    .limit(1);
  return row ?? null;
}

export async function insertUser(
  tx: Executor,
  values: { id: string; email: string; name: string; passwordHash: string },
): Promise<PublicUser> {
  const [row] = await tx
    .insert(users)
    .values({ ...values, createdBy: values.id })
    .returning();
  return withoutPassword(row!);
}
