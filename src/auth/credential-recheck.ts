import DataLoader from 'dataloader';
import type { Database } from '../db/client';
import type { AccessTokenSigner } from './access-tokens';
import { resolveViewers, type Viewer } from './viewer';

/** Resolves a bearer token again, as resolveViewer does: null once it no longer works. */
export type CredentialRecheck = (bearer: string) => Promise<Viewer | null>;

/** Far above what one instance re-checks at once, but a bound on one statement's arrays. */
const MAX_BATCH = 1_000;

/**
 * Re-checks for open subscriptions, batched per instance: every credential
 * asked about in the same turn of the event loop is resolved by one
 * transaction (resolveViewers). Background re-checks fall due on a shared
 * grid (access-watch.ts), so a thousand subscribers re-checked every few
 * seconds cost a few statements per grid step, not a transaction each.
 * Nothing is cached: each call reads the database afresh.
 */
export function createCredentialRecheck(db: Database, signer: AccessTokenSigner): CredentialRecheck {
  const loader = new DataLoader<string, Viewer | null>((bearers) => resolveViewers(db, signer, bearers), {
    cache: false,
    maxBatchSize: MAX_BATCH,
    // After the current turn's timers and I/O callbacks, so the re-checks that fell due together go together.
    batchScheduleFn: (run) => setImmediate(run),
  });
  return (bearer) => loader.load(bearer);
}
