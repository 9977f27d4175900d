import type { Viewer } from '../auth/viewer';
import type { Transaction } from '../db/client';
import { translateDatabaseError, type ConstraintMessages } from '../db/errors';
import { inTenantTransaction } from '../db/tenant-transaction';
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
 * Runs `work` in one transaction as the viewer: row-level security sees only
 * the viewer's organizations (none when anonymous). Constraint violations
 * become domain errors; any error rolls the whole unit back.
 */
export async function asViewer<T>(
  ctx: ServiceContext,
  work: (tx: Transaction, organizationIds: readonly string[]) => Promise<T>,
  constraintMessages?: ConstraintMessages,
  options: AsViewerOptions = {},
): Promise<T> {
  const organizationIds = withActingOrganization(ctx.viewer?.organizationIds ?? [], options.actingOrganizationId);
  try {
    return await inTenantTransaction(ctx.db, { userId: ctx.viewer?.userId ?? null, organizationIds }, (tx) =>
      work(tx, organizationIds),
    );
  } catch (error) {
    throw translateDatabaseError(error, constraintMessages);
  }
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
