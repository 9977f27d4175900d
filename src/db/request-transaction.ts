import type { Database, Transaction } from './client';
import { actorKey, tenantSettings, type TenantActor, type TenantScope } from './tenant-transaction';

/**
 * `read`: units share the transaction and their statements pipeline on its one
 * connection (a query operation's DataLoader batches). `write`: each unit runs
 * alone in a savepoint, so a failed mutation leaves nothing behind while the
 * rest of the request goes on.
 */
export type RequestTransactionMode = 'read' | 'write';

type Open = { tx: Transaction; end: (outcome: 'commit' | 'rollback') => void; settled: Promise<void> };

/**
 * One transaction for a whole GraphQL request, opened on first use and ended
 * by the request-transaction plugin when execution finishes (before the
 * response is sent, so a mutation's response means it committed).
 *
 * Why: a transaction per DataLoader batch costs BEGIN, the tenant settings
 * and COMMIT around every query and lets one request hold several pooled
 * connections at once. Here a request holds one connection, sets the tenant
 * settings once, and its concurrent batches pipeline on that connection.
 *
 * Nothing may take a second pooled connection while a request holds this
 * one: under load every connection could be held by a request waiting for
 * another. Units therefore all run here, and standalone transactions are only
 * for work outside requests. A unit must not start another unit from inside
 * its work (in a mutation it would wait for itself): it passes its `tx` on.
 */
export class RequestTransaction implements TenantScope {
  mode: RequestTransactionMode = 'read';
  private opened: Promise<Open> | null = null;
  private finished = false;
  private settingsKey: string | null = null;
  private settingsApplied: Promise<unknown> = Promise.resolve();
  private readers = 0;
  private writing = false;
  private waiters: (() => void)[] = [];
  private commitCallbacks: (() => void)[] = [];

  constructor(private readonly db: Database) {}

  /** False once the request has ended: later work needs a transaction of its own. */
  get usable(): boolean {
    return !this.finished;
  }

  async run<T>(actor: TenantActor, work: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.finished) throw new Error('the request transaction has already ended');
    const key = actorKey(actor);
    return this.mode === 'write' ? this.runExclusive(actor, key, work) : this.runShared(actor, key, work);
  }

  /**
   * Runs `callback` once the request's work is committed (at once when
   * nothing is pending): what must never be seen before the data is, such as a
   * wake-up call to other instances.
   */
  afterCommit(callback: () => void): void {
    if (this.opened && !this.finished) this.commitCallbacks.push(callback);
    else callback();
  }

  /** Commits (or rolls back) and releases the connection. Commit errors are thrown. */
  async finish(outcome: 'commit' | 'rollback' = 'commit'): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    const opened = this.opened;
    this.opened = null;
    const callbacks = this.commitCallbacks;
    this.commitCallbacks = [];
    if (opened) {
      let open: Open;
      try {
        open = await opened;
      } catch {
        return; // BEGIN itself failed: nothing to end, and the unit that asked has already reported it.
      }
      await this.until(() => this.readers === 0 && !this.writing);
      open.end(outcome);
      try {
        await open.settled;
      } catch (error) {
        if (outcome === 'commit') throw error;
        return;
      }
    }
    if (outcome === 'commit') for (const callback of callbacks) callback();
  }

  private async runShared<T>(actor: TenantActor, key: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    // Units with the same settings share the connection; different settings wait until it is free to switch.
    await this.until(() => !this.writing && (this.settingsKey === key || this.readers === 0));
    this.readers += 1;
    try {
      const settings = this.settingsFor(actor, key);
      // Others with the same settings may join now: they run once the settings are in place.
      this.wake();
      await settings;
      const { tx } = await this.open();
      return await work(tx);
    } finally {
      this.readers -= 1;
      this.wake();
    }
  }

  private async runExclusive<T>(actor: TenantActor, key: string, work: (tx: Transaction) => Promise<T>): Promise<T> {
    await this.until(() => !this.writing && this.readers === 0);
    this.writing = true;
    try {
      // Outside the savepoint: rolling a failed unit back must not undo the settings the next unit relies on.
      await this.settingsFor(actor, key);
      const { tx } = await this.open();
      return await tx.transaction(work);
    } finally {
      this.writing = false;
      this.wake();
    }
  }

  /** Resolves once the transaction is scoped to `actor`, setting it only when the current scope differs. */
  private settingsFor(actor: TenantActor, key: string): Promise<unknown> {
    if (this.settingsKey !== key) {
      this.settingsKey = key;
      this.settingsApplied = this.open()
        .then(({ tx }) => tx.execute(tenantSettings(actor)))
        .catch((error: unknown) => {
          if (this.settingsKey === key) this.settingsKey = null;
          throw error;
        });
    }
    return this.settingsApplied;
  }

  private open(): Promise<Open> {
    this.opened ??= new Promise<Open>((resolve, reject) => {
      let end!: Open['end'];
      const outcome = new Promise<'commit' | 'rollback'>((settle) => (end = settle));
      const settled: Promise<void> = this.db.transaction(async (tx) => {
        resolve({ tx, end, settled });
        if ((await outcome) === 'rollback') tx.rollback();
      });
      // Before the callback ran this rejects the open; afterwards `finish` reports it.
      settled.catch(reject);
    });
    return this.opened;
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
