/**
 * A durable append-only log per key over the plugin's keystore, which
 * never replaces a name: entry k of `key` is the name "<key>/<k>", k = 1,
 * 2, ... without gaps. The last entry is found by probing (doubling, then
 * bisecting: O(log n) reads) once per key and then kept in memory. Used for
 * the enrolments an issuer recorded and for the lockout's failures: state
 * that must survive a crash and a restart, in the one durable store a
 * plugin has. Appends of one key run one at a time.
 * @module
 */
import type { ScopedKeystore } from '../../keystore/types.ts';

export interface LogEntry {
  readonly index: number; // 0: no entry yet
  readonly value?: Uint8Array;
}

export class AppendLog {
  readonly #keystore: ScopedKeystore;
  readonly #last = new Map<string, number>();
  readonly #queue = new Map<string, Promise<unknown>>();

  constructor(keystore: ScopedKeystore) {
    this.#keystore = keystore;
  }

  /** Entry `index` of `key`, or undefined. */
  get(key: string, index: number): Promise<Uint8Array | undefined> {
    return this.#keystore.get(`${key}/${index}`);
  }

  /** The last entry of `key` (index 0 when there is none). */
  async last(key: string): Promise<LogEntry> {
    const index = await this.#lastIndex(key);
    return index === 0 ? { index } : { index, value: await this.get(key, index) };
  }

  /**
   * Runs `step` with the last entry and appends what it returns (nothing for undefined), with no other
   * step of the same key in between. The entry is on disk before the promise resolves.
   */
  update<T>(key: string, step: (last: LogEntry) => Promise<{ append?: Uint8Array; result: T }>): Promise<T> {
    const run = (this.#queue.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(async () => {
        const last = await this.last(key);
        const { append, result } = await step(last);
        if (append !== undefined) {
          await this.#keystore.put(`${key}/${last.index + 1}`, append);
          this.#last.set(key, last.index + 1);
        }
        return result;
      });
    this.#queue.set(key, run);
    void run
      .finally(() => {
        if (this.#queue.get(key) === run) this.#queue.delete(key);
      })
      .catch(() => undefined);
    return run;
  }

  async #lastIndex(key: string): Promise<number> {
    const known = this.#last.get(key);
    if (known !== undefined) return known;
    const has = (k: number) => this.#keystore.has(`${key}/${k}`);
    let hi = 1;
    while (await has(hi)) hi *= 2; // entries 1..lo exist, hi does not
    let lo = hi / 2 < 1 ? 0 : hi / 2;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await has(mid)) lo = mid;
      else hi = mid;
    }
    this.#last.set(key, lo);
    return lo;
  }
}
