/**
 * Bitcoin's Merkle tree of txids (not RFC 9162's: no leaf/node prefixes, double SHA-256, and a level of odd
 * length pairs its last hash with itself). Hashes in internal byte order.
 *
 * Two known weaknesses are closed here. CVE-2012-2459: because the last hash is duplicated, the lists
 * [a, b, c] and [a, b, c, c] have the same root, so merkleRoot refuses a list in which a real pair holds two
 * equal hashes (Bitcoin Core's "mutated" flag). And a 64-byte transaction could pass for an inner node: the
 * proof verifier (proof.ts) refuses 64-byte transactions before it climbs a branch.
 * @module
 */
import { concat, equalBytes } from '../bytes.ts';
import { AnchorError } from './errors.ts';
import { sha256d } from './hash.ts';

/** The deepest branch accepted: 2^32 transactions is far beyond any block. */
const MAX_BRANCH_LENGTH = 32;

const pairHash = (left: Uint8Array, right: Uint8Array): Uint8Array => sha256d(concat(left, right));

/** One level up: pairs hashed, the last hash of an odd level paired with itself. */
function parentLevel(level: readonly Uint8Array[]): Uint8Array[] {
  const up: Uint8Array[] = [];
  for (let i = 0; i < level.length; i += 2) {
    const left = level[i]!;
    const right = level[i + 1];
    if (right !== undefined && equalBytes(left, right)) {
      throw new AnchorError('mutated_merkle', `two equal hashes at positions ${i} and ${i + 1} of a level`);
    }
    up.push(pairHash(left, right ?? left));
  }
  return up;
}

/** The Merkle root of a block's txids (in block order); 'mutated_merkle' for a CVE-2012-2459 list. */
export function merkleRoot(txids: readonly Uint8Array[]): Uint8Array {
  if (txids.length === 0) throw new AnchorError('malformed', 'a block has at least one transaction');
  let level = [...txids];
  while (level.length > 1) level = parentLevel(level);
  return level[0]!;
}

/** The siblings, bottom up, that lead from txids[index] to the root. */
export function merkleBranch(txids: readonly Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= txids.length) {
    throw new AnchorError('malformed', `index ${index} is outside a block of ${txids.length} transactions`);
  }
  const branch: Uint8Array[] = [];
  let level = [...txids];
  for (let at = index; level.length > 1; at >>= 1) {
    branch.push(level[at ^ 1] ?? level[at]!);
    level = parentLevel(level);
  }
  return branch;
}

/**
 * The root that `branch` leads to from `txid` at position `index`. Refuses an index with bits above the
 * branch's depth, and a left sibling equal to the node itself (only the last, left, node of a level is ever
 * paired with itself), so that a changed index never verifies.
 */
export function rootFromBranch(txid: Uint8Array, index: number, branch: readonly Uint8Array[]): Uint8Array {
  if (branch.length > MAX_BRANCH_LENGTH) throw new AnchorError('bad_branch', `branch of ${branch.length} hashes`);
  if (!Number.isInteger(index) || index < 0 || index >= 2 ** branch.length) {
    throw new AnchorError('bad_branch', `index ${index} does not fit a branch of ${branch.length} hashes`);
  }
  let node = txid;
  for (let level = 0; level < branch.length; level++) {
    const sibling = branch[level]!;
    const isRight = Math.floor(index / 2 ** level) % 2 === 1;
    if (isRight && equalBytes(sibling, node)) {
      throw new AnchorError('bad_branch', `level ${level}: a right node paired with itself`);
    }
    node = isRight ? pairHash(sibling, node) : pairHash(node, sibling);
  }
  return node;
}
