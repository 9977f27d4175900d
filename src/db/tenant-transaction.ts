import { sql, type SQL } from 'drizzle-orm';
import type { Database, Transaction } from './client';

/** Who is acting: the settings row-level security reads. */
export type TenantActor = {
  userId: string | null;
  organizationIds: readonly string[];
};

/** Something that runs work in a transaction scoped to an actor: a fresh transaction, or the request's own. */
export type TenantScope = {
  run<T>(actor: TenantActor, work: (tx: Transaction) => Promise<T>): Promise<T>;
};

/**
 * Runs `work` in one transaction scoped to `actor`. The settings are
 * transaction-local (`set_config(..., true)`), so a pooled connection carries
 * nothing over to the next request.
 */
export function inTenantTransaction<T>(db: Database, actor: TenantActor, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(tenantSettings(actor));
    return work(tx);
  });
}

/** Each unit in its own transaction: for work outside a request (jobs, subscriptions, seeds). */
export function standaloneScope(db: Database): TenantScope {
  return { run: (actor, work) => inTenantTransaction(db, actor, work) };
}

/** The statement that scopes the current transaction to `actor`. */
export function tenantSettings(actor: TenantActor): SQL {
  const [userId, organizationIds] = tenantSettingsParameters(actor);
  return sql`select set_config('app.user_id', ${userId}, true), set_config('app.organization_ids', ${organizationIds}, true)`;
}

/** The same statement for the driver itself ($1: user id, $2: organization ids). */
export const TENANT_SETTINGS_TEXT = `select set_config('app.user_id', $1, true), set_config('app.organization_ids', $2, true)`;

export function tenantSettingsParameters(actor: TenantActor): [string, string] {
  return [actor.userId ?? '', toPgArray(actor.organizationIds)];
}

/** Equal keys mean equal settings: the request transaction skips setting them again. */
export function actorKey(actor: TenantActor): string {
  return `${actor.userId ?? ''}|${actor.organizationIds.join(',')}`;
}

function toPgArray(ids: readonly string[]): string {
  return `{${ids.join(',')}}`;
}
