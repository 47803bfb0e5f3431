/**
 * The replay cache in PostgreSQL (backend.ts ReplayRecords; the rules are
 * storage/replay.ts's): a row per accepted request envelope. A claim is
 * one INSERT … ON CONFLICT DO NOTHING, so of two replicas claiming the same
 * request at once exactly one gets 'new'; the other reads the winner's
 * scope ('seen' for the same scope, ReplayError for another).
 *
 * Rows whose envelope was created longer ago than the freshness window
 * (plus margin) can no longer be presented, so they are deleted now and
 * then (at most once a minute per replica) to bound the table.
 * @module
 */
import type pg from 'pg';
import type { ReplayRecords } from '../backend.ts';
import { type Claim, ReplayError } from '../replay.ts';

const SCOPE_RE = /^[a-z0-9:/._-]{1,200}$/i;
const SWEEP_EVERY_MS = 60_000;

export class PostgresReplay implements ReplayRecords {
  readonly #pool: pg.Pool;
  readonly #keepMs: number;
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(pool: pg.Pool, keepMs: number, now: () => number = Date.now) {
    this.#pool = pool;
    this.#keepMs = keepMs;
    this.#now = now;
  }

  async claim(cid: string, created: number, scope: string): Promise<Claim> {
    if (!SCOPE_RE.test(scope) || cid.includes(' ') || !Number.isSafeInteger(created))
      throw new TypeError('replay: bad scope, cid or time');
    await this.#sweep();
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.#pool.query(
        'INSERT INTO replay (cid, created, scope) VALUES ($1, $2, $3) ON CONFLICT (cid) DO NOTHING',
        [cid, created, scope],
      );
      if (inserted.rowCount === 1) return 'new';
      const row = (await this.#pool.query('SELECT scope FROM replay WHERE cid = $1', [cid])).rows[0] as
        | { scope: string }
        | undefined;
      if (!row) continue; // swept between the two statements: claim again
      if (row.scope !== scope) throw new ReplayError(`request already used for ${row.scope.split(':')[0]}`);
      return 'seen';
    }
    throw new Error('replay: the claim did not settle');
  }

  async has(cid: string): Promise<boolean> {
    return (await this.#pool.query('SELECT 1 FROM replay WHERE cid = $1', [cid])).rowCount === 1;
  }

  async #sweep(): Promise<void> {
    const now = this.#now();
    if (now - this.#lastSweep < SWEEP_EVERY_MS) return;
    this.#lastSweep = now;
    await this.#pool.query('DELETE FROM replay WHERE created < $1', [now - this.#keepMs]);
  }

  async close(): Promise<void> {}
}
