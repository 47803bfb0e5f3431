/**
 * Where the node's rate limits keep their token buckets: one interface, so that one node keeps them in memory
 * (memory-rate-limit-store.ts) and replicas of one node share them in PostgreSQL.
 *
 * A bucket is named by `key` and holds up to `burst` tokens, refilled continuously at `perSecond`. `take`
 * spends `cost` tokens when the bucket holds at least that many and otherwise spends nothing and says, in whole
 * seconds (at least 1), when it will. A `cost` of 0 spends nothing and asks whether one token is there: the
 * check made before work that is only charged when it fails (a signature that does not verify). Buckets are
 * created full. An implementation may forget a bucket that is full again: it behaves the same when made anew.
 * @module
 */

export type TakeResult = { readonly ok: true } | { readonly ok: false; readonly retryAfterS: number };

export interface RateLimitStore {
  /** Spends `cost` tokens of bucket `key` (capacity `burst`, refilled at `perSecond`) at time `now` (ms). */
  take(key: string, cost: number, burst: number, perSecond: number, now: number): Promise<TakeResult>;
}
