import { z } from 'zod';
import type { Transaction } from '../../db/client';
import { newId } from '../../db/schema/columns';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { labelPolicy } from './label.policy';
import { findLabelForUpdate, findLabelsByIds, insertLabel, updateLabel, type LabelRow } from './label.repository';

export const labelName = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');
/** Stored lower-case, so equal colours compare equal. */
export const labelColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c')
  .transform((color) => color.toLowerCase());

const nameTaken = (path: string) => () => ValidationError.field(path, 'a label with this name already exists');

export type CreateLabelInput = { organizationId: string; id?: string; name: string; color?: string | null };

export async function createLabel(ctx: ServiceContext, input: CreateLabelInput): Promise<LabelRow> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.has(input.organizationId)) throw new NotFoundError('Organization');
  if (!labelPolicy.canCreate(viewer, input.organizationId)) throw new ForbiddenError('Only members can create labels');
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const id = input.id ?? newId();
      const { row } = await createIdempotently(
        viewer.userId,
        () =>
          insertLabel(tx, {
            id,
            organizationId: input.organizationId,
            name: input.name,
            ...(input.color ? { color: input.color } : {}),
            createdBy: viewer.userId,
          }),
        async () => (await findLabelsByIds(tx, organizationIds, [id]))[0] ?? null,
      );
      return row;
    },
    { labels_name_key: nameTaken('input.name') },
  );
}

/** A label the viewer can see, locked for the rest of the transaction; deleted ones only when asked. */
async function lockLabel(
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<LabelRow> {
  const label = await findLabelForUpdate(tx, organizationIds, id);
  if (!label || (label.deletedAt && !options.includeDeleted)) throw new NotFoundError('Label', id);
  return label;
}

export type UpdateLabelInput = { name?: string | null; color?: string | null };

export function updateLabelDetails(ctx: ServiceContext, id: string, input: UpdateLabelInput): Promise<LabelRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const label = await lockLabel(tx, organizationIds, id);
      if (!labelPolicy.canUpdate(viewer, label)) throw new ForbiddenError('Only members can change labels');
      const changes: Partial<LabelRow> = {};
      if (input.name != null) changes.name = input.name;
      if (input.color != null) changes.color = input.color;
      if (Object.keys(changes).length === 0) return label;
      return (await updateLabel(tx, label.organizationId, id, changes))!;
    },
    { labels_name_key: nameTaken('input.name') },
  );
}

/** Soft delete: the label disappears from lists and tasks, and comes back with its tasks on restore. */
export function deleteLabel(ctx: ServiceContext, id: string): Promise<LabelRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const label = await lockLabel(tx, organizationIds, id);
    if (!labelPolicy.canDelete(viewer, label)) throw new ForbiddenError('Only members can delete labels');
    return (await updateLabel(tx, label.organizationId, id, { deletedAt: new Date() }))!;
  });
}

export function restoreLabel(ctx: ServiceContext, id: string): Promise<LabelRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const label = await lockLabel(tx, organizationIds, id, { includeDeleted: true });
      if (!labelPolicy.canDelete(viewer, label)) throw new ForbiddenError('Only members can restore labels');
      if (!label.deletedAt) return label;
      return (await updateLabel(tx, label.organizationId, id, { deletedAt: null }))!;
    },
    // A live label took the name while this one was deleted.
    { labels_name_key: nameTaken('id') },
  );
}
