/**
 * The rate-limit store of a single node: token buckets in a Map, at most `maxBuckets` of them (full, i.e. idle,
 * buckets go first, then the oldest), so an attacker who rotates addresses grows the memory no further. The
 * arithmetic is synchronous (`takeNow`), so the registration limiter can use it without a promise.
 * @module
 */
import type { RateLimitStore, TakeResult } from './rate-limit-store.ts';

interface Bucket {
  tokens: number;
  at: number;
  burst: number;
  perSecond: number;
}

function refill(b: Bucket, now: number): void {
  b.tokens = Math.min(b.burst, b.tokens + (Math.max(0, now - b.at) * b.perSecond) / 1000);
  b.at = now;
}

export class MemoryRateLimitStore implements RateLimitStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #max: number;

  constructor(maxBuckets = 10_000) {
    this.#max = maxBuckets;
  }

  take(key: string, cost: number, burst: number, perSecond: number, now: number): Promise<TakeResult> {
    return Promise.resolve(this.takeNow(key, cost, burst, perSecond, now));
  }

  /** `take`, answered at once. */
  takeNow(key: string, cost: number, burst: number, perSecond: number, now: number): TakeResult {
    let b = this.#buckets.get(key);
    if (!b) {
      this.#makeRoom(now);
      b = { tokens: burst, at: now, burst, perSecond };
      this.#buckets.set(key, b);
    }
    b.burst = burst;
    b.perSecond = perSecond;
    refill(b, now);
    const needed = Math.max(cost, cost === 0 ? 1 : 0);
    if (b.tokens >= needed) {
      b.tokens -= cost;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((needed - b.tokens) / b.perSecond)) };
  }

  /** Drops full buckets (they would behave the same if made anew), else the oldest one, when at the bound. */
  #makeRoom(now: number): void {
    if (this.#buckets.size < this.#max) return;
    for (const [key, b] of this.#buckets) {
      refill(b, now);
      if (b.tokens >= b.burst) this.#buckets.delete(key);
    }
    if (this.#buckets.size >= this.#max) this.#buckets.delete(this.#buckets.keys().next().value!);
  }
}
