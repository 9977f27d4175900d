import { PostgresJsSession, PostgresJsTransaction } from 'drizzle-orm/postgres-js';
import type postgres from 'postgres';
import type { Database, Transaction } from './client';
import { actorKey, TENANT_SETTINGS_TEXT, tenantSettingsParameters, type TenantActor, type TenantScope } from './tenant-transaction';

/**
 * `read`: units share the transaction and their statements pipeline on its one
 * connection (a query operation's DataLoader batches). `write`: each unit runs
 * alone in a savepoint, so a failed mutation leaves nothing behind while the
 * rest of the request goes on.
 */
export type RequestTransactionMode = 'read' | 'write';

/** The request's connection: the driver's handle on it and a drizzle transaction over it. */
type Open = { connection: postgres.ReservedSql; tx: Transaction };

/** What drizzle keeps on its session and reuses for every transaction it opens (dialect, schema, options). */
type SessionParts = { dialect: never; schema: never; options: never };

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
 * Statements are sent without waiting where order is enough: BEGIN, the
 * tenant settings and a savepoint go out in the same write as the first
 * query after them (a round trip is a socket write and a wake-up on each
 * side).
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
  private reserved: Open | null = null;
  private savepoints = 0;
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
        return; // No connection was reserved: the unit that asked has already reported why.
      }
      await this.until(() => this.readers === 0 && !this.writing);
      const ended = open.connection.unsafe(outcome === 'commit' ? 'commit' : 'rollback').then(
        () => open.connection.release(),
        (error: unknown) => {
          open.connection.release();
          throw error;
        },
      );
      try {
        await ended;
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
      // Others with the same settings may join now: the settings statement is queued ahead of theirs.
      this.wake();
      const { tx } = await this.open();
      const [, result] = await Promise.all([settings, work(tx)]);
      return result;
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
      const settings = this.settingsFor(actor, key);
      const { tx } = await this.open();
      const [, result] = await Promise.all([settings, tx.transaction(work)]);
      return result;
    } finally {
      this.writing = false;
      this.wake();
    }
  }

  /**
   * Scopes the transaction to `actor` (only when the current scope differs).
   * The statement is queued on the connection at once, so whatever is sent
   * after this call runs with the new settings; the promise reports its outcome.
   */
  private settingsFor(actor: TenantActor, key: string): Promise<unknown> {
    if (this.settingsKey !== key) {
      this.settingsKey = key;
      const send = ({ connection }: Open) => connection.unsafe(TENANT_SETTINGS_TEXT, tenantSettingsParameters(actor)).execute();
      const sent = this.reserved ? send(this.reserved) : this.open().then(send);
      this.settingsApplied = Promise.resolve(sent).catch((error: unknown) => {
        if (this.settingsKey === key) this.settingsKey = null;
        throw error;
      });
    }
    return this.settingsApplied;
  }

  private open(): Promise<Open> {
    this.opened ??= this.reserve();
    return this.opened;
  }

  /**
   * Reserves a pooled connection and begins (BEGIN is queued, not awaited: it
   * reaches Postgres in the same write as the first statement). The drizzle
   * transaction over it is built the way drizzle builds its own, from the
   * session of the app's database.
   */
  private async reserve(): Promise<Open> {
    const connection = await (this.db as unknown as { $client: postgres.Sql }).$client.reserve();
    connection.unsafe('begin').execute().catch(() => {}); // A failed BEGIN fails the statements after it, which report it.
    const savepoint = async <T>(work: (client: postgres.Sql) => Promise<T>): Promise<T> => {
      const name = `unit_${++this.savepoints}`;
      // Queued ahead of the unit's statements; no RELEASE: the savepoint lives on harmlessly until COMMIT.
      const opened = connection.unsafe(`savepoint ${name}`).execute();
      try {
        const [, result] = await Promise.all([opened, work(connection)]);
        return result;
      } catch (error) {
        await connection.unsafe(`rollback to savepoint ${name}`);
        throw error;
      }
    };
    const { dialect, schema, options } = (this.db as unknown as { session: SessionParts }).session;
    // Drizzle asks for unnamed statements, which the driver must describe before binding: a round trip of
    // its own for every statement with parameters, holding back the ones queued after it. Named statements
    // are described once per connection and then pipeline. (Plans stay per execution: the app role has
    // plan_cache_mode = force_custom_plan.)
    const unnamed = connection.unsafe.bind(connection);
    const unsafe = (text: string, parameters: unknown[] = [], queryOptions: Record<string, unknown> = {}) =>
      unnamed(text, parameters as never, { ...queryOptions, prepare: true });
    // The session's client must also open savepoints (PostgresJsTransaction.transaction asks it to).
    const client = Object.assign(connection, { savepoint, unsafe });
    const session = new PostgresJsSession(client, dialect, schema, options);
    const tx = new PostgresJsTransaction(dialect, session as never, schema) as unknown as Transaction;
    this.reserved = { connection, tx };
    return this.reserved;
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
