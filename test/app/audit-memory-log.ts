/**
 * A transparency log held in memory for the Audit model's tests, built only with the tlog library's writer
 * functions (leaf hashes, the stored hashes each append completes): real trees, real roots, real proofs.
 */
import { utf8 } from '../../src/core/bytes.ts';
import { TlogError } from '../../src/core/tlog/errors.ts';
import { type HashReader, leafHash, storedHashesFor, treeHash } from '../../src/core/tlog/merkle.ts';

export class MemoryLog {
  readonly entries: Uint8Array[] = [];
  readonly #hashes = new Map<string, Uint8Array>();

  readonly read: HashReader = (level, n) => {
    const h = this.#hashes.get(`${level}/${n}`);
    if (!h) throw new TlogError('missing_hash', `no stored hash ${level}/${n}`);
    return h;
  };

  async append(...entries: Uint8Array[]): Promise<void> {
    for (const entry of entries) {
      const index = this.entries.length;
      for (const s of await storedHashesFor(index, leafHash(entry), this.read))
        this.#hashes.set(`${s.level}/${s.n}`, s.hash);
      this.entries.push(entry);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  root(size = this.size): Promise<Uint8Array> {
    return treeHash(size, this.read);
  }
}

/** `count` distinct entries named by `prefix`. */
export const entriesOf = (prefix: string, count: number): Uint8Array[] =>
  Array.from({ length: count }, (_, i) => utf8(`${prefix} ${i}`));

/** A log holding `entries`. */
export async function logOf(entries: readonly Uint8Array[]): Promise<MemoryLog> {
  const log = new MemoryLog();
  await log.append(...entries);
  return log;
}
