/**
 * Order records in PostgreSQL (backend.ts OrderRecords): a row per order
 * (its record and committed replies as JSON text) and a row per envelope of
 * its chain. `put` writes both in one transaction, committed (WAL flushed)
 * before it resolves. Nothing is cached: another replica may have changed
 * the order since, and every change happens under `withOrder`, which reads
 * it again after taking the lock.
 * @module
 */
import type pg from 'pg';
import type { OrderRecord } from '../../plugins/types.ts';
import type { OrderRecords } from '../backend.ts';
import { isCanonicalCid, type StoredOrder } from '../orders.ts';
import type { OrderLocks } from './order-lock.ts';
import { inTransaction } from './transaction.ts';

/** Envelopes read per query while walking every order's (eachEnvelope). */
const PAGE = 500;

export class PostgresOrders implements OrderRecords {
  readonly #pool: pg.Pool;
  readonly #locks: OrderLocks;

  constructor(pool: pg.Pool, locks: OrderLocks) {
    this.#pool = pool;
    this.#locks = locks;
  }

  async get(id: string): Promise<StoredOrder | undefined> {
    if (!isCanonicalCid(id)) return undefined;
    const row = (await this.#pool.query('SELECT record, replies FROM orders WHERE id = $1', [id])).rows[0] as
      | { record: string; replies: string }
      | undefined;
    if (!row) return undefined;
    const rows = (await this.#pool.query('SELECT cid, bytes FROM order_envelopes WHERE order_id = $1', [id]))
      .rows as Array<{ cid: string; bytes: Buffer }>;
    const envelopes: Record<string, Uint8Array> = {};
    for (const e of rows) envelopes[e.cid] = new Uint8Array(e.bytes);
    return {
      record: JSON.parse(row.record) as OrderRecord,
      envelopes,
      replies: JSON.parse(row.replies) as Record<string, string>,
    };
  }

  async put(order: StoredOrder): Promise<void> {
    const id = order.record.id;
    if (!isCanonicalCid(id)) throw new TypeError('orders: bad order id');
    const cids = Object.keys(order.envelopes);
    const bytes = cids.map((c) => Buffer.from(order.envelopes[c]!));
    await inTransaction(this.#pool, async (client) => {
      await client.query(
        `INSERT INTO orders (id, record, replies) VALUES ($1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET record = EXCLUDED.record, replies = EXCLUDED.replies, updated_at = now()`,
        [id, JSON.stringify(order.record), JSON.stringify(order.replies)],
      );
      await client.query(
        `INSERT INTO order_envelopes (order_id, cid, bytes) SELECT $1, c, b FROM unnest($2::text[], $3::bytea[]) AS e(c, b)
         ON CONFLICT (order_id, cid) DO NOTHING`,
        [id, cids, bytes],
      );
    });
  }

  withOrder<T>(id: string, fn: () => Promise<T>): Promise<T> {
    return this.#locks.with(id, fn);
  }

  async ids(): Promise<string[]> {
    const rows = (await this.#pool.query('SELECT id FROM orders ORDER BY id COLLATE "C"')).rows as Array<{
      id: string;
    }>;
    return rows.map((r) => r.id);
  }

  async *eachEnvelope(): AsyncGenerator<{ cid: string; bytes: Uint8Array }> {
    let after = { order: '', cid: '' };
    for (;;) {
      const rows = (
        await this.#pool.query(
          `SELECT order_id, cid, bytes FROM order_envelopes WHERE (order_id, cid) > ($1, $2)
           ORDER BY order_id, cid LIMIT ${PAGE}`,
          [after.order, after.cid],
        )
      ).rows as Array<{ order_id: string; cid: string; bytes: Buffer }>;
      for (const r of rows) yield { cid: r.cid, bytes: new Uint8Array(r.bytes) };
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      after = { order: last.order_id, cid: last.cid };
    }
  }
}
