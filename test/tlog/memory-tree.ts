/**
 * An in-memory log for the tests: it keeps the stored hashes that
 * storedHashesFor says each append completes, as a real log's writer does,
 * and reads them back as a HashReader. A missing hash is a test bug: throw.
 * @module
 */
import { type HashReader, leafHash, storedHashesFor } from '../../src/core/tlog/merkle.ts';

export class MemoryTree {
  readonly entries: Uint8Array[] = [];
  private readonly stored = new Map<string, Uint8Array>();

  readonly read: HashReader = (level, n) => {
    const hash = this.stored.get(`${level}/${n}`);
    if (!hash) throw new Error(`memory tree: no stored hash ${level}/${n}`);
    return hash;
  };

  get size(): number {
    return this.entries.length;
  }

  async append(entry: Uint8Array): Promise<void> {
    for (const { level, n, hash } of await storedHashesFor(this.entries.length, leafHash(entry), this.read)) {
      this.stored.set(`${level}/${n}`, hash);
    }
    this.entries.push(entry);
  }

  static async of(count: number, entryOf: (i: number) => Uint8Array = defaultEntry): Promise<MemoryTree> {
    const tree = new MemoryTree();
    for (let i = 0; i < count; i++) await tree.append(entryOf(i));
    return tree;
  }
}

const defaultEntry = (i: number): Uint8Array => new TextEncoder().encode(`entry ${i}`);
