/**
 * The replay cache: every request envelope the node accepts is recorded,
 * durably, with the scope it was accepted for ("orders", "order:<id>",
 * "<plugin>:<route>") before it is acted upon. The same envelope presented
 * for another scope is a replay and refused; presented again for its own
 * scope it is a retry, which order routes answer from their committed
 * reply and other routes refuse. Requests outside the freshness window are
 * refused before they get here, so entries older than the window (plus a
 * margin for clock changes) are dropped when the log is compacted.
 *
 * The log is one line per entry, `<created ms> <cid> <scope>`, appended and
 * fsynced; concurrent claims share one fsync (group commit).
 * What clients see of it: docs/protocol.md#replay-cache.
 * @module
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfExists, writeDurable } from '../fsutil.ts';

export type Claim = 'new' | 'seen';

export class ReplayError extends Error {
  override name = 'ReplayError';
}

const LOG = 'seen.log';
const SCOPE_RE = /^[a-z0-9:/._-]{1,200}$/i;

export class ReplayCache {
  readonly #dir: string;
  readonly #keepMs: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, { created: number; scope: string }>();
  #fh: FileHandle | undefined;
  #pending: string[] = [];
  #next: Promise<void> | undefined;
  #writing: Promise<void> | undefined;
  #lines = 0;

  private constructor(dir: string, keepMs: number, now: () => number) {
    this.#dir = dir;
    this.#keepMs = keepMs;
    this.#now = now;
  }

  /** Opens (or creates) the cache in `dir`; entries created more than `keepMs` ago are forgotten. */
  static async open(dir: string, keepMs: number, now: () => number = Date.now): Promise<ReplayCache> {
    const cache = new ReplayCache(dir, keepMs, now);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const text = await readIfExists(join(dir, LOG));
    for (const line of (text?.toString('utf8') ?? '').split('\n')) {
      const [created, cid, scope] = line.split(' ');
      const t = Number(created);
      if (cid && scope && Number.isFinite(t)) cache.#seen.set(cid, { created: t, scope });
    }
    await cache.#compact();
    return cache;
  }

  /** Rewrites the log with the live entries only. */
  async #compact(): Promise<void> {
    const horizon = this.#now() - this.#keepMs;
    for (const [cid, e] of this.#seen) if (e.created < horizon) this.#seen.delete(cid);
    const text = [...this.#seen].map(([cid, e]) => `${e.created} ${cid} ${e.scope}\n`).join('');
    await this.#fh?.close();
    await writeDurable(join(this.#dir, LOG), text);
    this.#fh = await open(join(this.#dir, LOG), 'a', 0o600);
    this.#lines = this.#seen.size;
  }

  /**
   * Records `cid` for `scope` (durably, before resolving). 'seen' when it
   * was already recorded for the same scope; throws ReplayError when it
   * was recorded for another one.
   */
  async claim(cid: string, created: number, scope: string): Promise<Claim> {
    if (!SCOPE_RE.test(scope) || cid.includes(' ')) throw new TypeError('replay: bad scope or cid');
    const known = this.#seen.get(cid);
    if (known) {
      if (known.scope !== scope) throw new ReplayError(`request already used for ${known.scope.split(':')[0]}`);
      return 'seen';
    }
    this.#seen.set(cid, { created, scope });
    this.#pending.push(`${created} ${cid} ${scope}\n`);
    try {
      await this.#flush();
    } catch (err) {
      this.#seen.delete(cid);
      throw err;
    }
    return 'new';
  }

  /** True when `cid` has been claimed (for any scope). */
  has(cid: string): boolean {
    return this.#seen.has(cid);
  }

  /**
   * The write that will carry the pending lines: one append and one fsync
   * for every claim that arrived while the previous write was running.
   */
  #flush(): Promise<void> {
    this.#next ??= (async () => {
      await this.#writing?.catch(() => undefined);
      const lines = this.#pending;
      this.#pending = [];
      this.#next = undefined;
      this.#writing = (async () => {
        await this.#fh!.appendFile(lines.join(''));
        await this.#fh!.datasync();
        this.#lines += lines.length;
        if (this.#lines > 4 * this.#seen.size + 1000) await this.#compact();
      })();
      await this.#writing;
    })();
    return this.#next;
  }

  async close(): Promise<void> {
    await this.#next?.catch(() => undefined);
    await this.#writing?.catch(() => undefined);
    await this.#fh?.close();
    this.#fh = undefined;
  }
}
