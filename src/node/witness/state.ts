/**
 * What a witness remembers of each log it witnesses: the latest checkpoint
 * it cosigned (size, root, and the log's signed note). One JSON file per
 * log, named by the SHA-256 of its origin, replaced with write-then-rename
 * and fsync (fsutil.ts) before the cosignature leaves, so a witness that is
 * killed never forgets a size it vouched for and never cosigns behind it.
 * @module
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';

export interface CosignedCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  /** The checkpoint as the log signed it (the note that was cosigned). */
  readonly note: string;
}

export class WitnessStateStore {
  readonly #dir: string;
  readonly #cache = new Map<string, CosignedCheckpoint>();

  private constructor(dir: string) {
    this.#dir = dir;
  }

  static async open(dir: string): Promise<WitnessStateStore> {
    await sweepTemps(dir);
    return new WitnessStateStore(dir);
  }

  /** The latest checkpoint cosigned for `origin`, or undefined when none was. */
  async get(origin: string): Promise<CosignedCheckpoint | undefined> {
    const cached = this.#cache.get(origin);
    if (cached) return cached;
    const bytes = await readIfExists(this.#file(origin));
    if (!bytes) return undefined;
    const saved = JSON.parse(bytes.toString('utf8')) as { origin: string; size: number; root: string; note: string };
    const state = { origin: saved.origin, size: saved.size, root: fromBase64(saved.root, 'root'), note: saved.note };
    this.#cache.set(origin, state);
    return state;
  }

  /** Durably records `state` as the latest cosigned checkpoint of its log. */
  async put(state: CosignedCheckpoint): Promise<void> {
    const json = JSON.stringify({
      origin: state.origin,
      size: state.size,
      root: toBase64(state.root),
      note: state.note,
    });
    await writeDurable(this.#file(state.origin), json);
    this.#cache.set(state.origin, state);
  }

  #file(origin: string): string {
    return join(this.#dir, `${createHash('sha256').update(origin).digest('hex')}.json`);
  }
}
