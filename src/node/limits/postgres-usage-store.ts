/**
 * The usage store (usage-store.ts) in PostgreSQL: one row per identity with its orders and bytes, shared by the
 * replicas of one node, so a quota holds however the load balancer spreads an identity's orders. node.ts, when
 * `storage.kind` is "postgres", uses `new PostgresUsageStore(backend.pool)` in place of FileUsageStore.open (nothing
 * to close; importing this module registers its table's migration: import it before the pool opens).
 *
 * A reservation is one INSERT … ON CONFLICT DO UPDATE … WHERE: PostgreSQL locks the identity's row and adds only
 * when both counts stay within the limits, so replicas reserving for one identity at once never pass a limit
 * together. When the WHERE refuses, nothing changed; the row is read again to name the limit (should a release
 * have made room meanwhile, the reservation is tried again, a bounded number of times). Counts never go below 0, and
 * a row that comes back to 0 and 0 is deleted: the table holds only identities that keep something.
 *
 * Unlike the file store, the counts are not recounted from the orders at start (replicas start at any time while
 * others work): a replica killed between a reservation and its commit leaves that step counted, as the invariant
 * of usage-store.ts wants (the step is recorded), and the recorded step's retry or recovery reserves nothing again
 * when it finishes it (order-admission.ts). One window stays: a replica killed between an order's commit and the
 * count of its reply's bytes leaves those bytes uncounted (the order and its request's bytes stay counted).
 * @module
 */
import type pg from 'pg';
import { registerMigration } from '../storage/postgres/pool.ts';
import type { UsageStore } from './usage-store.ts';

registerMigration({
  name: 'usage',
  version: 1,
  sql: `
    CREATE TABLE usage_counts (
      identity text PRIMARY KEY,
      orders bigint NOT NULL CHECK (orders >= 0),
      bytes bigint NOT NULL CHECK (bytes >= 0));`,
});

/** Tries of a reservation refused by a row that, read again, had room (a release in between). */
const TRIES = 3;

/** $1 identity, $2 orders, $3 bytes, $4 orders limit, $5 bytes limit (0: none); a row back when it added. */
const RESERVE = `
  INSERT INTO usage_counts AS u (identity, orders, bytes)
  VALUES ($1, greatest(0, $2::bigint), greatest(0, $3::bigint))
  ON CONFLICT (identity) DO UPDATE SET
    orders = greatest(0, u.orders + $2::bigint), bytes = greatest(0, u.bytes + $3::bigint)
  WHERE ($4::bigint = 0 OR $2::bigint <= 0 OR u.orders + $2::bigint <= $4::bigint)
    AND ($5::bigint = 0 OR $3::bigint <= 0 OR u.bytes + $3::bigint <= $5::bigint)
  RETURNING 1`;

type Reserved = { ok: true } | { ok: false; limit: 'orders' | 'bytes' };

export class PostgresUsageStore implements UsageStore {
  readonly #pool: pg.Pool;

  /** The pool's migrations include this store's table once this module is imported. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async reserve(
    identity: string,
    orders: number,
    bytes: number,
    limits: { orders: number; bytes: number },
  ): Promise<Reserved> {
    checkCounts(orders, bytes, limits.orders, limits.bytes);
    // A first reservation is an INSERT, which the WHERE does not see: it is checked against the limits here.
    const alone = passed({ orders: 0, bytes: 0 }, orders, bytes, limits);
    if (alone) return { ok: false, limit: alone };
    for (let i = 0; i < TRIES; i++) {
      const { rowCount } = await this.#pool.query(RESERVE, [identity, orders, bytes, limits.orders, limits.bytes]);
      if (rowCount === 1) return { ok: true };
      const limit = passed(await this.usage(identity), orders, bytes, limits);
      if (limit) return { ok: false, limit };
    }
    return { ok: false, limit: 'orders' };
  }

  async release(identity: string, orders: number, bytes: number): Promise<void> {
    checkCounts(orders, bytes, 0, 0);
    await this.#pool.query(
      `UPDATE usage_counts SET orders = greatest(0, orders - $2::bigint), bytes = greatest(0, bytes - $3::bigint)
       WHERE identity = $1`,
      [identity, orders, bytes],
    );
    await this.#pool.query('DELETE FROM usage_counts WHERE identity = $1 AND orders = 0 AND bytes = 0', [identity]);
  }

  async usage(identity: string): Promise<{ orders: number; bytes: number }> {
    const { rows } = await this.#pool.query<{ orders: string; bytes: string }>(
      'SELECT orders, bytes FROM usage_counts WHERE identity = $1',
      [identity],
    );
    return { orders: Number(rows[0]?.orders ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
  }
}

/** The limit adding `orders` and `bytes` to `used` would pass (orders first, as the file store answers), if any. */
function passed(
  used: { orders: number; bytes: number },
  orders: number,
  bytes: number,
  limits: { orders: number; bytes: number },
): 'orders' | 'bytes' | undefined {
  if (limits.orders > 0 && orders > 0 && used.orders + orders > limits.orders) return 'orders';
  if (limits.bytes > 0 && bytes > 0 && used.bytes + bytes > limits.bytes) return 'bytes';
  return undefined;
}

/** Counts and limits are safe integers (they go into bigint columns); limits are not negative. */
function checkCounts(orders: number, bytes: number, ordersLimit: number, bytesLimit: number): void {
  const all = [orders, bytes, ordersLimit, bytesLimit];
  if (!all.every(Number.isSafeInteger) || ordersLimit < 0 || bytesLimit < 0) {
    throw new RangeError('usage: counts and limits must be integers, the limits not negative');
  }
}
