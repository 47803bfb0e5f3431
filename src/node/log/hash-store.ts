/**
 * The log's stored hashes in memory: level 0 holds every leaf hash, level k the hash of each complete subtree
 * of 2^k leaves (the tlog "stored hash" model of core/tlog/merkle.ts). They are rebuilt from the entries when the
 * log opens (two SHA-256 per entry: about a second per million entries) rather than kept in a second file that a
 * crash could leave out of step with the entries; proofs, tree heads and tiles are all read from here.
 * @module
 */

import { TlogError } from '../../core/tlog/errors.ts';
import { type HashReader, leafHash, storedHashesFor } from '../../core/tlog/merkle.ts';

export class HashStore {
  readonly #levels: Uint8Array[][] = [[]];

  /** Number of leaves. */
  get size(): number {
    return this.#levels[0]!.length;
  }

  /** The reader for core/tlog: stored hash (level, n), or TlogError missing_hash when not complete yet. */
  readonly read: HashReader = (level, n) => {
    const hash = this.#levels[level]?.[n];
    if (!hash) throw new TlogError('missing_hash', `stored hash (${level}, ${n}) is not complete`);
    return hash;
  };

  /** Appends the leaf of `entry`; returns its leaf hash. */
  async add(entry: Uint8Array): Promise<Uint8Array> {
    const leaf = leafHash(entry);
    for (const { level, n, hash } of await storedHashesFor(this.size, leaf, this.read)) {
      if (!this.#levels[level]) this.#levels[level] = [];
      const row = this.#levels[level]!;
      if (row.length !== n) throw new Error(`log: stored hash (${level}, ${n}) out of order`);
      row.push(hash);
    }
    return leaf;
  }
}
