import { newId } from '../../../src/db/schema/columns';
import { notifications } from '../../../src/db/schema/index';
import { globalId } from '../../support/factories';
import { createDatabase, type DatabaseHandle, type Transaction } from '../../../src/db/client';
import { inTenantTransaction } from '../../../src/db/tenant-transaction';
import type { TestApp } from '../../support/harness';

/** The app role (row-level security on), acting as one user in their organizations: what services see. */
export function appRole(t: TestApp): DatabaseHandle & {
  as<T>(userId: string, organizationIds: readonly string[], work: (tx: Transaction) => Promise<T>): Promise<T>;
} {
  const handle = createDatabase(t.appUrl, { max: 2 });
  return { ...handle, as: (userId, organizationIds, work) => inTenantTransaction(handle.db, { userId, organizationIds }, work) };
}

export type NotificationFixture = typeof notifications.$inferSelect & { globalId: string };

/** A notification written as the owner (bypassing row-level security), `minutesAgo` old. */
export async function createNotificationRow(
  t: TestApp,
  values: { organizationId: string; recipientId: string; minutesAgo?: number } & Partial<typeof notifications.$inferInsert>,
): Promise<NotificationFixture> {
  const { minutesAgo = 0, ...rest } = values;
  const [row] = await t.owner.db
    .insert(notifications)
    .values({ id: newId(), kind: 'commented', createdAt: new Date(Date.now() - minutesAgo * 60_000), ...rest })
    .returning();
  return { ...row!, globalId: globalId('Notification', row!.id) };
}
