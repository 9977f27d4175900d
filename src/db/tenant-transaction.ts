import { sql } from 'drizzle-orm';
import type { Database, Transaction } from './client';

/** Who is acting: the settings row-level security reads. */
export type TenantActor = {
  userId: string | null;
  organizationIds: readonly string[];
};

/**
 * Runs `work` in one transaction scoped to `actor`. The settings are
 * transaction-local (`set_config(..., true)`), so a pooled connection carries
 * nothing over to the next request.
 */
export function inTenantTransaction<T>(db: Database, actor: TenantActor, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('app.user_id', ${actor.userId ?? ''}, true), set_config('app.organization_ids', ${toPgArray(actor.organizationIds)}, true)`,
    );
    return work(tx);
  });
}

function toPgArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
