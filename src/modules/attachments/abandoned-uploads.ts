import type { Database } from '../../db/client';
import { inTenantTransaction } from '../../db/tenant-transaction';
import type { StorageDriver } from '../../storage/storage';
import { deleteAttachmentRows, findAbandonedUploads, lockAbandonedUploads, type AbandonedUpload } from './attachment.repository';

export const DEFAULT_SWEEP_BATCH_SIZE = 500;

/**
 * When an unconfirmed upload counts as abandoned: requested more than twice
 * the upload URL's lifetime ago. Its URL expired a whole lifetime earlier, so
 * no upload can still arrive for it.
 */
export const abandonedUploadCutoff = (now: Date, urlTtlSeconds: number) => new Date(now.getTime() - 2 * urlTtlSeconds * 1000);

export type SweepOptions = { createdBefore: Date; batchSize?: number };

/**
 * Removes uploads that were requested before `createdBefore` and never
 * confirmed: the stored object (if the client uploaded one) through the
 * storage driver, then the metadata row. Such an upload never showed anywhere
 * and left no activity, so none is written for its removal either.
 *
 * `db` is the app role's: the uploads are found across organizations by a
 * SECURITY DEFINER function, batch by batch; each organization's are then
 * re-checked, locked (skipping rows a confirm or another instance holds) and
 * removed in one transaction scoped to that tenant. The objects go first,
 * inside that transaction: a failure leaves the row, and the next pass deletes
 * again (deleting a missing object is harmless), so bytes never outlive the
 * row that points at them. Running it twice, or on several instances at
 * once, is harmless. A failure in one organization does not hold back the
 * others; the pass reports it at the end. Returns how many uploads it removed.
 */
export async function sweepAbandonedUploads(
  db: Database,
  storage: StorageDriver,
  { createdBefore, batchSize = DEFAULT_SWEEP_BATCH_SIZE }: SweepOptions,
): Promise<number> {
  let removed = 0;
  const failures: unknown[] = [];
  for (;;) {
    const found = await findAbandonedUploads(db, createdBefore, batchSize);
    let removedInBatch = 0;
    for (const [organizationId, uploads] of byOrganization(found)) {
      try {
        removedInBatch += await inTenantTransaction(db, { userId: null, organizationIds: [organizationId] }, async (tx) => {
          const locked = await lockAbandonedUploads(tx, organizationId, uploads.map((upload) => upload.id), createdBefore);
          for (const upload of locked) await storage.delete(upload.storageKey);
          await deleteAttachmentRows(tx, organizationId, locked.map((upload) => upload.id));
          return locked.length;
        });
      } catch (error) {
        failures.push(error);
      }
    }
    removed += removedInBatch;
    // A short batch was the last one; a batch with nothing removed (all failing, or all held elsewhere) would come back the same.
    if (found.length < batchSize || removedInBatch === 0) break;
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, `removed ${removed} abandoned uploads; ${failures.length} organization batches failed`);
  }
  return removed;
}

function byOrganization(uploads: readonly AbandonedUpload[]): Map<string, AbandonedUpload[]> {
  const groups = new Map<string, AbandonedUpload[]>();
  for (const upload of uploads) {
    const group = groups.get(upload.organizationId);
    if (group) group.push(upload);
    else groups.set(upload.organizationId, [upload]);
  }
  return groups;
}
