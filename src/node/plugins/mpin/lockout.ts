/**
 * Online PIN guessing: a stolen token is worth a PIN search of at most
 * maxPin logins, so the authentication server stops verifying an identity
 * for `lockSeconds` after `maxFailures` refused logins in a row. (The
 * price, as with any lockout, is that someone who knows an ID can lock
 * it out for a while by sending bad logins.) Bounded: when the table is
 * full, entries that are not locked are dropped first.
 * @module
 */

interface Entry {
  failures: number;
  until: number; // unix seconds; locked while now < until
}

export interface LockoutOptions {
  readonly maxFailures: number;
  readonly lockSeconds: number;
  readonly maxEntries: number;
}

export class Lockout {
  readonly #o: LockoutOptions;
  readonly #table = new Map<string, Entry>();

  constructor(options: LockoutOptions) {
    this.#o = options;
  }

  locked(id: string, now: number): boolean {
    const e = this.#table.get(id);
    return e !== undefined && now < e.until;
  }

  failed(id: string, now: number): void {
    const e = this.#table.get(id) ?? { failures: 0, until: 0 };
    e.failures += 1;
    if (e.failures >= this.#o.maxFailures) {
      e.failures = 0;
      e.until = now + this.#o.lockSeconds;
    }
    if (!this.#table.has(id)) this.#makeRoom(now);
    this.#table.set(id, e);
  }

  succeeded(id: string): void {
    this.#table.delete(id);
  }

  /** Keeps the table under maxEntries: unlocked entries go first, then the oldest locks. */
  #makeRoom(now: number): void {
    if (this.#table.size < this.#o.maxEntries) return;
    for (const [id, e] of this.#table) if (now >= e.until) this.#table.delete(id);
    for (const id of this.#table.keys()) {
      if (this.#table.size < this.#o.maxEntries) break;
      this.#table.delete(id);
    }
  }
}
