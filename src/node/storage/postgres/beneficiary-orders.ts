/**
 * The orders naming each identity as beneficiary, in PostgreSQL (backend.ts BeneficiaryOrders): an expression
 * index on the order record's `beneficiary`, `created` and the id, so a page is one index range scan and the
 * order path writes nothing more than its row (the index follows every insert, in the same transaction).
 * A component of its own after "storage", whose `orders` table it indexes (pool.ts runs components by name).
 * @module
 */
import type pg from 'pg';
import type { OrderRecord } from '../../plugins/types.ts';
import type { BeneficiaryOrders, OrderPosition } from '../backend.ts';
import { registerMigration } from './pool.ts';

const BENEFICIARY = `((record::jsonb ->> 'beneficiary') COLLATE "C")`;
const CREATED = `((record::jsonb ->> 'created')::bigint)`;

registerMigration({
  name: 'storage-beneficiaries',
  version: 1,
  sql: `CREATE INDEX orders_by_beneficiary ON orders (${BENEFICIARY}, ${CREATED} DESC, (id COLLATE "C") DESC)`,
});

export class PostgresBeneficiaryOrders implements BeneficiaryOrders {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async page(beneficiary: string, limit: number, after?: OrderPosition): Promise<OrderRecord[]> {
    const from = after ? `AND (${CREATED}, (id COLLATE "C")) < ($3::bigint, $4::text COLLATE "C")` : '';
    const params: unknown[] = [beneficiary, limit, ...(after ? [after.created, after.id] : [])];
    const rows = (
      await this.#pool.query(
        `SELECT record FROM orders WHERE ${BENEFICIARY} = $1 ${from}
         ORDER BY ${CREATED} DESC, (id COLLATE "C") DESC LIMIT $2`,
        params,
      )
    ).rows as Array<{ record: string }>;
    return rows.map((r) => JSON.parse(r.record) as OrderRecord);
  }
}
