/**
 * The write-ahead record of order steps in PostgreSQL (storage/pending.ts
 * PendingSteps): a row per accepted request, inserted (committed) before
 * its plugin runs and deleted with the commit of its reply. Every replica
 * sees every row, so a replica finishes the steps another one was killed
 * in the middle of.
 *
 * Two replicas finishing the same step do no harm: the step runs under the
 * order's lock (order-lock.ts), which is exclusive across replicas, and
 * the second finds the reply the first committed and only drops the row.
 * @module
 */
import type pg from 'pg';
import { isPendingStep, type PendingStep, type PendingSteps } from '../pending.ts';

const ID_RE = /^[a-z0-9]{8,128}$/i;

export class PostgresPendingSteps implements PendingSteps {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async add(step: PendingStep): Promise<void> {
    if (!ID_RE.test(step.request) || !ID_RE.test(step.order)) throw new TypeError('pending: bad request or order id');
    await this.#pool.query(
      `INSERT INTO pending_steps (request, order_id, step, envelope) VALUES ($1, $2, $3, $4)
       ON CONFLICT (request) DO NOTHING`,
      [step.request, step.order, step.step, Buffer.from(step.envelope)],
    );
  }

  async remove(request: string): Promise<void> {
    await this.#pool.query('DELETE FROM pending_steps WHERE request = $1', [request]);
  }

  async has(request: string): Promise<boolean> {
    return (await this.#pool.query('SELECT 1 FROM pending_steps WHERE request = $1', [request])).rowCount === 1;
  }

  async list(): Promise<PendingStep[]> {
    const rows = (await this.#pool.query('SELECT request, order_id, step, envelope FROM pending_steps ORDER BY seq'))
      .rows as Array<{ request: string; order_id: string; step: string; envelope: Buffer }>;
    return rows.flatMap((r) =>
      isPendingStep(r.step)
        ? [{ request: r.request, order: r.order_id, step: r.step, envelope: new Uint8Array(r.envelope) }]
        : [],
    );
  }

  async close(): Promise<void> {}
}
