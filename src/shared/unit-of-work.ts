import type { Viewer } from '../auth/viewer';
import type { Transaction } from '../db/client';
import { translateDatabaseError, type ConstraintMessages } from '../db/errors';
import { inTenantTransaction, type TenantActor } from '../db/tenant-transaction';
import type { ServiceContext } from '../graphql/context';
import { UnauthenticatedError } from './errors';

export function requireViewer(ctx: ServiceContext): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

export type AsViewerOptions = {
  /**
   * An organization the viewer does not belong to yet but is acting on in this
   * one transaction: creating it (its rows must pass the RLS WITH CHECK) or
   * joining it by invitation (the invitation is found by the organization id in
   * its token). The service must have authorized this before.
   */
  actingOrganizationId?: string;
};

function withActingOrganization(organizationIds: readonly string[], acting: string | undefined): readonly string[] {
  return acting && !organizationIds.includes(acting) ? [...organizationIds, acting] : organizationIds;
}

/**
 * Runs `work` as the viewer: row-level security sees only the viewer's
 * organizations (none when anonymous). Inside a GraphQL request the unit runs
 * in the request's transaction (a savepoint of it in mutations); elsewhere in
 * a transaction of its own. Constraint violations become domain errors; any
 * error rolls the whole unit back.
 */
export async function asViewer<T>(
  ctx: ServiceContext,
  work: (tx: Transaction, organizationIds: readonly string[]) => Promise<T>,
  constraintMessages?: ConstraintMessages,
  options: AsViewerOptions = {},
): Promise<T> {
  const organizationIds = withActingOrganization(ctx.viewer?.organizationIds ?? [], options.actingOrganizationId);
  try {
    const actor: TenantActor = { userId: ctx.viewer?.userId ?? null, organizationIds };
    const unit = (tx: Transaction) => work(tx, organizationIds);
    return await (ctx.transaction?.usable ? ctx.transaction.run(actor, unit) : inTenantTransaction(ctx.db, actor, unit));
  } catch (error) {
    throw translateDatabaseError(error, constraintMessages);
  }
}

/**
 * Runs `callback` once the current request's writes are committed (at once
 * outside a request): signals to other instances must not arrive before the
 * data they point at is visible.
 */
export function afterCommit(ctx: ServiceContext, callback: () => void): void {
  if (ctx.transaction?.usable) ctx.transaction.afterCommit(callback);
  else callback();
}

/** Orders batch results to match the requested keys, as DataLoader requires. */
export function inKeyOrder<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): (T | null)[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row] as const));
  return keys.map((key) => byKey.get(key) ?? null);
}

/** Groups batch results by key, one (possibly empty) list per requested key. */
export function groupedInKeyOrder<K, T>(keys: readonly K[], rows: readonly T[], keyOf: (row: T) => K): T[][] {
  const groups = new Map<K, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
