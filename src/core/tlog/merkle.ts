/**
 * RFC 9162 section 2.1 Merkle trees (the Certificate Transparency tree that
 * C2SP tlog-tiles serves): SHA-256, leaf = H(0x00 ‖ entry), node =
 * H(0x01 ‖ left ‖ right), the empty tree's root = H("").
 *
 * Writers and servers never hold a tree: they read "stored hashes" through a
 * HashReader, as the Go `tlog` package does. The stored hash (level, n) is
 * the root of the complete subtree of height `level` over the leaves
 * [n·2^level, (n+1)·2^level). Every node of every tree size is built from
 * those, so a log that stores them once, when they complete, can answer any
 * proof for any size it ever had. Sizes and indexes are JS numbers: safe
 * integers, checked at every entry point.
 *
 * Verification follows RFC 9162 §2.1.3.2 and §2.1.4.2 step by step, with the
 * rules of transparency-dev/merkle: hashes are exactly 32 bytes, a
 * consistency proof from size 0 is refused, equal sizes need an empty proof.
 * @module
 */
import { concat, equalBytes } from '../bytes.ts';
import { sha256 } from '../crypto/symmetric-backend.ts';
import { TlogError } from './errors.ts';

/** Length of every hash of the tree (SHA-256). */
export const HASH_SIZE = 32;

/** Stored hash (level, n): the complete subtree of height `level` over leaves [n·2^level, (n+1)·2^level). */
export type HashReader = (level: number, n: number) => Uint8Array | Promise<Uint8Array>;

/** One stored hash, as a writer keeps it. */
export interface StoredHash {
  level: number;
  n: number;
  hash: Uint8Array;
}

/** Root of the empty tree: SHA-256 of nothing. */
export const emptyRoot = (): Uint8Array => sha256(new Uint8Array(0));

/** Leaf hash of an entry: SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array): Uint8Array {
  return sha256(concat(LEAF_PREFIX, entry));
}

/** Interior node hash: SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(concat(NODE_PREFIX, left, right));
}

const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** Root hash of the tree of the first `size` leaves. */
export async function treeHash(size: number, read: HashReader): Promise<Uint8Array> {
  checkSize(size, 'tree size');
  return size === 0 ? emptyRoot() : rangeHash(0, size, read);
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves. */
export async function inclusionProof(index: number, size: number, read: HashReader): Promise<Uint8Array[]> {
  checkSize(size, 'tree size');
  checkSize(index, 'leaf index');
  if (index >= size) throw new TlogError('out_of_range', `inclusion proof: index ${index} not below size ${size}`);
  const proof: Uint8Array[] = [];
  let lo = 0;
  let hi = size;
  // Walk from the root down to the leaf; the sibling of each step is a proof element, root side last.
  while (hi - lo > 1) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (index < lo + k) {
      proof.push(await rangeHash(lo + k, hi, read));
      hi = lo + k;
    } else {
      proof.push(await rangeHash(lo, lo + k, read));
      lo += k;
    }
  }
  return proof.reverse();
}

/** RFC 9162 §2.1.4.1 consistency proof between the trees of `size1` and `size2` leaves (0 < size1 ≤ size2). */
export async function consistencyProof(size1: number, size2: number, read: HashReader): Promise<Uint8Array[]> {
  checkSize(size1, 'old size');
  checkSize(size2, 'new size');
  if (size1 === 0 || size1 > size2) {
    throw new TlogError('out_of_range', `consistency proof: sizes ${size1} and ${size2} are not 0 < old ≤ new`);
  }
  const proof: Uint8Array[] = [];
  let m = size1;
  let lo = 0;
  let hi = size2;
  let whole = true; // SUBPROOF's b: the old tree is this whole subtree, whose hash the verifier already has
  while (m !== hi - lo) {
    const k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      proof.push(await rangeHash(lo + k, hi, read));
      hi = lo + k;
    } else {
      proof.push(await rangeHash(lo, lo + k, read));
      m -= k;
      lo += k;
      whole = false;
    }
  }
  if (!whole) proof.push(await rangeHash(lo, hi, read));
  return proof.reverse();
}

/**
 * The stored hashes that appending leaf `index` (with hash `leaf`) completes: (0, index) and, each time the new
 * subtree is a right child, its parent. `read` gives the left siblings, stored earlier.
 */
export async function storedHashesFor(index: number, leaf: Uint8Array, read: HashReader): Promise<StoredHash[]> {
  checkSize(index, 'leaf index');
  checkHash(leaf, 'leaf hash');
  const stored: StoredHash[] = [{ level: 0, n: index, hash: leaf }];
  let hash = leaf;
  let n = index;
  for (let level = 0; n % 2 === 1; level++) {
    hash = nodeHash(checkHash(await read(level, n - 1), 'stored hash'), hash);
    n = (n - 1) / 2;
    stored.push({ level: level + 1, n, hash });
  }
  return stored;
}

/** RFC 9162 §2.1.3.2: throws TlogError('bad_proof') unless `proof` leads from `leaf` at `index` to `root`. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  checkHash(leaf, 'leaf hash');
  checkHash(root, 'root');
  if (index >= size) throw badProof(`index ${index} not below size ${size}`);
  const got = rootFromInclusion(leaf, index, size, proof);
  if (!equalBytes(got, root)) throw badProof('inclusion proof does not lead to the root');
}

/** RFC 9162 §2.1.4.2: throws TlogError('bad_proof') unless `proof` shows the tree of size1 is a prefix of size2's. */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1, 'old size');
  checkSize(size2, 'new size');
  if (size2 < size1) throw badProof(`new size ${size2} below old size ${size1}`);
  if (size1 === 0) throw badProof('no consistency proof from the empty tree');
  // Equal sizes compare the roots as given, of any length, as transparency-dev/merkle does (one vector needs it).
  if (size1 === size2) {
    if (proof.length !== 0) throw badProof('equal sizes take an empty proof');
    if (!equalBytes(root1, root2)) throw badProof('equal sizes with different roots');
    return;
  }
  checkHash(root1, 'old root');
  checkHash(root2, 'new root');
  if (proof.length === 0) throw badProof('empty consistency proof');
  const [old, next] = rootsFromConsistency(size1, size2, proof, root1);
  if (!equalBytes(old, root1)) throw badProof('consistency proof does not lead to the old root');
  if (!equalBytes(next, root2)) throw badProof('consistency proof does not lead to the new root');
}

function rootFromInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[]): Uint8Array {
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    checkHash(p, 'proof element');
    if (sn === 0) throw badProof('inclusion proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      // A right edge with no sibling at this level: climb until this node is a right child.
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw badProof('inclusion proof too short');
  return r;
}

function rootsFromConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): [Uint8Array, Uint8Array] {
  for (const p of proof) checkHash(p, 'proof element');
  // When the old tree is a complete subtree its root is the proof's implicit first element.
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : proof;
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) [fn, sn] = [half(fn), half(sn)];
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) throw badProof('consistency proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  if (sn !== 0) throw badProof('consistency proof too short');
  return [fr, sr];
}

// The hash of leaves [lo, hi): the maximal aligned complete subtrees from the left, folded from the right. For
// the ranges RFC 9162 proofs use (lo aligned to a power of two at least hi - lo) this is MTH(D[lo:hi]).
async function rangeHash(lo: number, hi: number, read: HashReader): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  while (lo < hi) {
    let level = 0;
    while (lo % 2 ** (level + 1) === 0 && lo + 2 ** (level + 1) <= hi) level++;
    parts.push(checkHash(await read(level, lo / 2 ** level), 'stored hash'));
    lo += 2 ** level;
  }
  let hash = parts.pop() as Uint8Array;
  while (parts.length > 0) hash = nodeHash(parts.pop() as Uint8Array, hash);
  return hash;
}

// Halving without `>>`, which would truncate numbers above 2^31.
const half = (x: number): number => Math.floor(x / 2);

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number): boolean => n === largestPowerOfTwoBelow(n) * 2 || n === 1;

/** Throws TlogError('out_of_range') unless `n` is a non-negative safe integer. */
export function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TlogError('out_of_range', `${what}: not a non-negative integer`);
}

function checkHash(hash: Uint8Array, what: string): Uint8Array {
  if (!(hash instanceof Uint8Array) || hash.length !== HASH_SIZE) {
    throw new TlogError('malformed', `${what}: expected ${HASH_SIZE} bytes`);
  }
  return hash;
}

const badProof = (message: string): TlogError => new TlogError('bad_proof', message);
