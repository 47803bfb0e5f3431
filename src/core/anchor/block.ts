/**
 * A whole serialized block (header, transaction count, transactions), read with the careful transaction
 * reader, with its Merkle root recomputed from the transactions: what a verifier does when it is given a block
 * rather than a branch.
 * @module
 */
import { equalBytes } from '../bytes.ts';
import { AnchorError } from './errors.ts';
import { type BlockHeader, parseHeader } from './header.ts';
import { merkleRoot } from './merkle.ts';
import { readTransactionAt, type Transaction } from './tx.ts';

export interface Block {
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
}

/** Reads a CompactSize at `at`: [value, next offset]. */
function compactSize(bytes: Uint8Array, at: number): [number, number] {
  const first = bytes[at];
  if (first === undefined) throw new AnchorError('malformed', 'block: no transaction count');
  if (first < 0xfd) return [first, at + 1];
  const width = first === 0xfd ? 2 : first === 0xfe ? 4 : 8;
  if (at + 1 + width > bytes.length) throw new AnchorError('malformed', 'block: truncated transaction count');
  let n = 0;
  for (let i = width - 1; i >= 0; i--) n = n * 256 + bytes[at + 1 + i]!;
  return [n, at + 1 + width];
}

/**
 * The block in `bytes`, whose transactions' Merkle root must equal its header's ('bad_branch' otherwise;
 * 'mutated_merkle' for a CVE-2012-2459 duplicate list).
 */
export function parseBlock(bytes: Uint8Array): Block {
  const header = parseHeader(bytes.subarray(0, 80));
  let [count, at] = compactSize(bytes, 80);
  if (count === 0 || count > bytes.length) throw new AnchorError('malformed', `block: ${count} transactions`);
  const transactions: Transaction[] = [];
  for (; count > 0; count--) {
    const { tx, end } = readTransactionAt(bytes, at);
    transactions.push(tx);
    at = end;
  }
  if (at !== bytes.length) throw new AnchorError('malformed', 'block: bytes after the last transaction');
  if (!equalBytes(merkleRoot(transactions.map((t) => t.txid)), header.merkleRoot)) {
    throw new AnchorError('bad_branch', "block: the transactions' Merkle root is not the header's");
  }
  return { header, transactions };
}
