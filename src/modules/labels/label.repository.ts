import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { labels } from '../../db/schema/index';
import { anyOf } from '../../db/any-of';

export type LabelRow = typeof labels.$inferSelect;
export type NewLabel = typeof labels.$inferInsert;

/** Case-insensitive name order, then id so that equal names keep a stable order. */
export const labelOrder = [asc(sql`lower(${labels.name})`), asc(labels.id)];

export function findLabelsByIds(tx: Executor, organizationIds: readonly string[], ids: readonly string[]) {
  return tx
    .select()
    .from(labels)
    .where(and(anyOf(labels.organizationId, organizationIds as string[]), anyOf(labels.id, ids as string[])));
}

/** The labels of several organizations at once, ordered by name; live ones unless `includeDeleted`. */
export function listLabelsOfOrganizations(
  tx: Executor,
  organizationIds: readonly string[],
  options: { includeDeleted?: boolean } = {},
) {
  const conditions: (SQL | undefined)[] = [anyOf(labels.organizationId, organizationIds as string[])];
  if (!options.includeDeleted) conditions.push(isNull(labels.deletedAt));
  return tx
    .select()
    .from(labels)
    .where(and(...conditions))
    .orderBy(...labelOrder);
}

/** Inserts unless the id is taken (then null); a name clash still raises `labels_name_key`. */
export async function insertLabel(tx: Executor, values: NewLabel & { organizationId: string; id: string }) {
  const [row] = await tx
    .insert(labels)
    .values(values)
    .onConflictDoNothing({ target: [labels.organizationId, labels.id] })
    .returning();
  return row ?? null;
}

export async function updateLabel(tx: Executor, organizationId: string, id: string, values: Partial<NewLabel>) {
  const [row] = await tx
    .update(labels)
    .set(values)
    .where(and(eq(labels.organizationId, organizationId), eq(labels.id, id)))
    .returning();
  return row ?? null;
}

export async function findLabelForUpdate(tx: Executor, organizationIds: readonly string[], id: string) {
  const [row] = await tx
    .select()
    .from(labels)
    .where(and(anyOf(labels.organizationId, organizationIds as string[]), eq(labels.id, id)))
    .for('update');
  return row ?? null;
}
