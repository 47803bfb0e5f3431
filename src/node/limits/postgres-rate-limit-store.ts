/**
 * The rate-limit store (rate-limit-store.ts) in PostgreSQL, so that the replicas of one node share their token
 * buckets: a client refused by one replica is refused by all of them. node.ts, when `storage.kind` is "postgres",
 * gives RequestLimits `new PostgresRateLimitStore(backend.pool)` in place of the MemoryRateLimitStore (importing this
 * module registers its table's migration: import it before the pool opens).
 *
 * A take that spends is one INSERT … ON CONFLICT DO UPDATE on the bucket's row: PostgreSQL locks the row, refills
 * it from its time to `now`, spends when enough is there and records the answer (`granted`), all in one statement,
 * so two replicas taking from one bucket at once never both spend its last token. A bucket is created full, as in
 * memory. A take of cost 0 only asks (is one token there?) and reads the row without writing: it is made before
 * every signature check, and a missing bucket is full.
 *
 * Growth is bounded: each row carries `full_at`, the time by which it has surely refilled (its last take plus the
 * time to refill the whole burst); full buckets behave the same when made anew, so `sweep` deletes rows past it,
 * and take runs a sweep in the background at most once every SWEEP_INTERVAL_MS per replica. The table therefore
 * holds only the clients seen within one refill period (a minute for the node's limits).
 *
 * Times are the `now` each replica passes (ms); a bucket's time never moves back, so a replica whose clock is a little
 * behind refills nothing rather than giving tokens twice.
 * @module
 */
import type pg from 'pg';
import { registerMigration } from '../storage/postgres/pool.ts';
import type { RateLimitStore, TakeResult } from './rate-limit-store.ts';

registerMigration({
  name: 'rate-limits',
  version: 1,
  sql: `
    CREATE TABLE rate_buckets (
      key text PRIMARY KEY,
      tokens double precision NOT NULL,
      at bigint NOT NULL,
      full_at bigint NOT NULL,
      granted boolean NOT NULL);
    CREATE INDEX rate_buckets_full_at ON rate_buckets (full_at);`,
});

/** Least time between two background sweeps of one replica. */
const SWEEP_INTERVAL_MS = 10_000;

/**
 * The take, in one statement. $1 key, $2 burst, $3 cost, $4 tokens per second, $5 tokens needed, $6 now (ms).
 * The refilled amount is computed once (the sub-select) from the row as it was; SET assigns every column from it.
 */
const TAKE = `
  INSERT INTO rate_buckets AS b (key, tokens, at, full_at, granted)
  SELECT $1, CASE WHEN burst >= needed THEN burst - cost ELSE burst END, at_ms, at_ms + ceil(burst * 1000 / rate),
         burst >= needed
  FROM (SELECT $2::float8 AS burst, $3::float8 AS cost, $4::float8 AS rate, $5::float8 AS needed, $6::bigint AS at_ms)
    AS given
  ON CONFLICT (key) DO UPDATE SET (tokens, at, full_at, granted) = (
    SELECT CASE WHEN r >= $5::float8 THEN r - $3::float8 ELSE r END, greatest(b.at, $6::bigint),
           greatest(b.at, $6::bigint) + ceil($2::float8 * 1000 / $4::float8), r >= $5::float8
    FROM (SELECT least($2::float8, b.tokens + greatest(0, $6::bigint - b.at) * $4::float8 / 1000) AS r) AS refilled)
  RETURNING tokens, granted`;

export class PostgresRateLimitStore implements RateLimitStore {
  readonly #pool: pg.Pool;
  #sweptAt = Number.NEGATIVE_INFINITY;

  /** The pool's migrations include this store's table once this module is imported. */
  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async take(key: string, cost: number, burst: number, perSecond: number, now: number): Promise<TakeResult> {
    checkArguments(cost, burst, perSecond, now);
    this.#sweepNowAndThen(now);
    const needed = Math.max(cost, cost === 0 ? 1 : 0);
    if (cost === 0) return this.#ask(key, needed, burst, perSecond, now);
    const { rows } = await this.#pool.query<{ tokens: number; granted: boolean }>(TAKE, [
      key,
      burst,
      cost,
      perSecond,
      needed,
      Math.floor(now),
    ]);
    const row = rows[0]!;
    return row.granted ? { ok: true } : refused(needed, row.tokens, perSecond);
  }

  /** A take of cost 0: whether one token is there, read without writing. */
  async #ask(key: string, needed: number, burst: number, perSecond: number, now: number): Promise<TakeResult> {
    const { rows } = await this.#pool.query<{ tokens: number; at: string }>(
      'SELECT tokens, at FROM rate_buckets WHERE key = $1',
      [key],
    );
    const row = rows[0];
    const tokens = row ? Math.min(burst, row.tokens + (Math.max(0, now - Number(row.at)) * perSecond) / 1000) : burst;
    return tokens >= needed ? { ok: true } : refused(needed, tokens, perSecond);
  }

  /** Deletes the buckets full again at `now`; the number deleted. */
  async sweep(now: number): Promise<number> {
    const { rowCount } = await this.#pool.query('DELETE FROM rate_buckets WHERE full_at <= $1', [Math.floor(now)]);
    return rowCount ?? 0;
  }

  #sweepNowAndThen(now: number): void {
    if (now - this.#sweptAt < SWEEP_INTERVAL_MS) return;
    this.#sweptAt = now;
    // A failed sweep is retried by a later take; the limits do not depend on it.
    this.sweep(now).catch(() => undefined);
  }
}

function refused(needed: number, tokens: number, perSecond: number): TakeResult {
  return { ok: false, retryAfterS: Math.max(1, Math.ceil((needed - tokens) / perSecond)) };
}

/** The numbers go into SQL arithmetic: finite, not negative, a rate above 0. */
function checkArguments(cost: number, burst: number, perSecond: number, now: number): void {
  const finite = [cost, burst, perSecond, now].every(Number.isFinite);
  if (!finite || cost < 0 || burst < 0 || perSecond <= 0) {
    throw new RangeError('rate limit: cost, burst and now must be finite and not negative, the rate above 0');
  }
}
