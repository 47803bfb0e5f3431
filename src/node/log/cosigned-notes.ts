/**
 * The cosigned notes of the log's recent checkpoints: per size, the checkpoint note signed by the log key with
 * every cosignature gathered for that size, for the newest `KEPT_SIZES` sizes cosigned. A witness answers for the
 * checkpoint it was shown; under steady traffic the log has signed newer ones by then, and those cosignatures
 * would be lost if only the latest checkpoint could carry them. Kept here, the log serves its newest cosigned
 * checkpoint (GET /v1/log/checkpoint/cosigned) however fast it grows.
 *
 * On disk: `<home>/log/cosigned.json`, `{"notes": ["<note>", …]}` oldest first, replaced by write-then-rename
 * with fsync. Writes run one at a time and a newer content replaces one still waiting, so the file only moves
 * forward; `put` resolves once its note (or a newer content holding it) is on disk. The cosignatures are the one
 * thing of the log that its entries cannot give back, which is why they are written before being reported kept.
 * @module
 */
import { writeDurable } from '../fsutil.ts';
import { LogError } from './errors.ts';
import type { SignedCheckpoint } from './types.ts';

/** Sizes kept: a late witness of a recent checkpoint still counts, and the file stays a few kilobytes. */
export const KEPT_SIZES = 8;

export class CosignedNotes {
  readonly #file: string;
  readonly #bySize = new Map<number, SignedCheckpoint>();
  #toWrite: string | undefined;
  #writer: Promise<void> | undefined;

  private constructor(file: string) {
    this.#file = file;
  }

  /**
   * The notes of `stored` (the file's bytes, if any), each checked by `check` (signed by the log key, of its
   * origin, with the root its entries give: it throws log_corrupt otherwise).
   */
  static async load(
    file: string,
    stored: Uint8Array | undefined,
    check: (note: string) => Promise<SignedCheckpoint>,
  ): Promise<CosignedNotes> {
    const notes = new CosignedNotes(file);
    for (const note of stored ? notesOf(stored) : []) {
      const signed = await check(note);
      notes.#bySize.set(signed.checkpoint.size, signed);
    }
    notes.#trim();
    return notes;
  }

  get(size: number): SignedCheckpoint | undefined {
    return this.#bySize.get(size);
  }

  /** The cosigned checkpoint of the largest size, if any. */
  newest(): SignedCheckpoint | undefined {
    const sizes = [...this.#bySize.keys()];
    return sizes.length === 0 ? undefined : this.#bySize.get(Math.max(...sizes));
  }

  /** Whether a note of `size` would be kept: one of the newest sizes, or room left. */
  wants(size: number): boolean {
    if (this.#bySize.has(size) || this.#bySize.size < KEPT_SIZES) return true;
    return size > Math.min(...this.#bySize.keys());
  }

  /** Keeps `signed` (replacing the note of its size, dropping the oldest size past the bound), then writes. */
  put(signed: SignedCheckpoint): Promise<void> {
    this.#bySize.set(signed.checkpoint.size, signed);
    this.#trim();
    const notes = [...this.#bySize.keys()].sort((a, b) => a - b).map((size) => this.#bySize.get(size)!.note);
    return this.#persist(JSON.stringify({ notes }));
  }

  /** Resolves once every write asked for is on disk (or failed). */
  async flush(): Promise<void> {
    await this.#writer?.catch(() => undefined);
  }

  #trim(): void {
    while (this.#bySize.size > KEPT_SIZES) this.#bySize.delete(Math.min(...this.#bySize.keys()));
  }

  #persist(content: string): Promise<void> {
    this.#toWrite = content;
    this.#writer ??= (async () => {
      try {
        while (this.#toWrite !== undefined) {
          const next = this.#toWrite;
          this.#toWrite = undefined;
          await writeDurable(this.#file, next, 0o644);
        }
      } finally {
        this.#writer = undefined;
      }
    })();
    return this.#writer;
  }
}

/** The notes of the file, or log_corrupt: the file is only ever replaced whole, so anything else is damage. */
function notesOf(bytes: Uint8Array): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new LogError('log_corrupt', 'the cosigned checkpoints file is not JSON');
  }
  const notes = (parsed as { notes?: unknown } | null)?.notes;
  if (!Array.isArray(notes) || !notes.every((n) => typeof n === 'string')) {
    throw new LogError('log_corrupt', 'the cosigned checkpoints file holds no list of notes');
  }
  return notes;
}
