/**
 * The one-pass logins an authentication server has seen, so that a
 * captured login (id, U) cannot be played again. An entry only needs to
 * live as long as its login could pass the freshness window; expired
 * entries are dropped as new ones arrive. The cache is bounded: when it
 * is full of live entries it refuses rather than forgets, because
 * forgetting would let a replay through.
 *
 * It is kept in memory only. After a restart the server refuses every
 * login dated before it started (auth-server.ts), which covers what the
 * lost entries covered.
 * @module
 */

export class LoginReplayCache {
  readonly #max: number;
  readonly #expiry = new Map<string, number>(); // key -> unix seconds after which it cannot be fresh
  #oldest = Infinity;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#expiry.size;
  }

  /**
   * Records `key` until `expires` (unix seconds). Returns 'new' the first
   * time, 'seen' after, 'full' when there is no room for a new key.
   */
  add(key: string, expires: number, now: number): 'new' | 'seen' | 'full' {
    const known = this.#expiry.get(key);
    if (known !== undefined && known >= now) return 'seen';
    if (this.#expiry.size >= this.#max) this.#sweep(now);
    if (this.#expiry.size >= this.#max) return 'full';
    this.#expiry.set(key, expires);
    this.#oldest = Math.min(this.#oldest, expires);
    return 'new';
  }

  /** Drops expired entries; skipped while nothing can have expired yet. */
  #sweep(now: number): void {
    if (this.#oldest >= now) return;
    let oldest = Infinity;
    for (const [key, expires] of this.#expiry) {
      if (expires < now) this.#expiry.delete(key);
      else oldest = Math.min(oldest, expires);
    }
    this.#oldest = oldest;
  }
}
