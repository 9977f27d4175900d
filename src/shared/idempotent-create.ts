import { ConflictError } from './errors';

type Created = { createdBy: string | null; deletedAt?: Date | null };

/**
 * Creates with a client-chosen id, so a client that retries after a timeout
 * gets the same object back rather than a duplicate. The insert must be
 * `on conflict do nothing ... returning`; when it returns nothing the id was
 * taken, and the existing row is returned only if the same user created it.
 */
export async function createIdempotently<T extends Created>(
  viewerId: string,
  insert: () => Promise<T | null>,
  findExisting: () => Promise<T | null>,
): Promise<{ row: T; created: boolean }> {
  const inserted = await insert();
  if (inserted) return { row: inserted, created: true };
  const existing = await findExisting();
  if (existing && existing.createdBy === viewerId && !existing.deletedAt) return { row: existing, created: false };
  throw new ConflictError('This id is already in use');
}
