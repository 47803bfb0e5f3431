/**
 * A replica's copy in memory of the log's committed entries (postgres-log.ts): the entries (for entry bundles),
 * their stored hashes (a HashStore, for proofs, roots and tiles) and an index by leaf hash and by the CID an entry
 * names. Committed entries never change, so the copy only grows, by the entries read from the database.
 * @module
 */
import { CID } from 'multiformats/cid';
import { toHex } from '../../core/bytes.ts';
import { entryCid } from '../../core/protocol/log-entry.ts';
import type { HashReader } from '../../core/tlog/merkle.ts';
import { HashStore } from './hash-store.ts';

export class LocalTree {
  readonly #hashes = new HashStore();
  readonly #entries: Uint8Array[] = [];
  /** Index by leaf hash (hex) and by CID text; a CID logged twice (two kinds) keeps its first index. */
  readonly #index = new Map<string, number>();

  get size(): number {
    return this.#hashes.size;
  }

  get read(): HashReader {
    return this.#hashes.read;
  }

  get entries(): readonly Uint8Array[] {
    return this.#entries;
  }

  /** Takes the next entry in; its leaf hash. */
  async remember(entry: Uint8Array): Promise<Uint8Array> {
    const index = this.size;
    const leaf = await this.#hashes.add(entry);
    this.#entries.push(entry);
    this.#index.set(toHex(leaf), index);
    const cid = entryCid(entry)?.toString();
    if (cid && !this.#index.has(cid)) this.#index.set(cid, index);
    return leaf;
  }

  /** Index of the entry with this leaf hash (hex). */
  indexOfLeaf(leafHex: string): number | undefined {
    return this.#index.get(leafHex);
  }

  /** Index of an entry by its leaf hash (32 bytes) or the CID it names. */
  lookup(key: Uint8Array | CID | string): number | undefined {
    if (key instanceof Uint8Array) return this.#index.get(toHex(key));
    return this.#index.get(typeof key === 'string' ? key : CID.asCID(key)!.toString());
  }
}
