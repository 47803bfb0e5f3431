/**
 * Exclusive access to one order across every replica: a transaction-scoped
 * advisory lock on a hash of the order id, held by a client of its own for
 * as long as the caller's function runs. If the replica dies, its
 * connection drops and PostgreSQL releases the lock.
 *
 * The lock clients come from a pool apart from the data pool: the function
 * holding a lock reads and writes through the data pool, so however many
 * orders are locked at once, the writes they wait for still get a
 * connection. Waiters on the same order in this process queue here first,
 * so they do not each hold a lock client while waiting.
 * @module
 */
import type pg from 'pg';
import { inTransaction } from './transaction.ts';

export class OrderLocks {
  readonly #pool: pg.Pool;
  readonly #local = new Map<string, Promise<unknown>>();

  constructor(lockPool: pg.Pool) {
    this.#pool = lockPool;
  }

  /** Runs `fn` while holding the lock on `id` here and in PostgreSQL. */
  async with<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#local.get(id) ?? Promise.resolve();
    const run = previous.then(
      () => this.#locked(id, fn),
      () => this.#locked(id, fn),
    );
    const settled = run.catch(() => undefined);
    this.#local.set(id, settled);
    try {
      return await run;
    } finally {
      if (this.#local.get(id) === settled) this.#local.delete(id);
    }
  }

  #locked<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return inTransaction(this.#pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended('dta:order:' || $1, 0))", [id]);
      return fn();
    });
  }
}
