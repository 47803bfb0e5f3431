// RFC 9162 Merkle trees: the transparency-dev/merkle inclusion and consistency vectors (all of them, an error iff
// wantErr), the classic reference tree roots, and properties over random trees built through stored hashes: the
// proofs we generate verify, and any one-bit change to a proof, a root, a leaf, an index or a size is refused.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../../src/core/bytes.ts';
import { TlogError } from '../../src/core/tlog/errors.ts';
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/core/tlog/merkle.ts';
import { haveVectors, VECTORS } from '../core/vectors-dir.ts';
import { MemoryTree } from './memory-tree.ts';

const suite = haveVectors ? describe : describe.skip;
const testdata = join(VECTORS, 'merkle-ct', 'testdata');

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? jsonFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

const b64 = (s: string): Uint8Array => (s === '' ? new Uint8Array(0) : fromBase64(s));
const proofOf = (p: string[] | null): Uint8Array[] => (p ?? []).map(b64);

function outcome(run: () => void): 'ok' | 'error' {
  try {
    run();
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(TlogError);
    return 'error';
  }
}

interface InclusionCase {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyCase {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

suite('merkle-ct vectors', () => {
  const inclusion = haveVectors ? jsonFiles(join(testdata, 'inclusion')) : [];
  const consistency = haveVectors ? jsonFiles(join(testdata, 'consistency')) : [];

  it('has all 98 inclusion and 98 consistency cases', () => {
    expect(inclusion).toHaveLength(98);
    expect(consistency).toHaveLength(98);
  });

  it.each(inclusion.map((path) => [path.slice(testdata.length + 1), path]))('inclusion %s', (_name, path) => {
    const c = JSON.parse(readFileSync(path, 'utf8')) as InclusionCase;
    const got = outcome(() => verifyInclusion(b64(c.leafHash), c.leafIdx, c.treeSize, proofOf(c.proof), b64(c.root)));
    expect(got).toBe(c.wantErr ? 'error' : 'ok');
  });

  it.each(consistency.map((path) => [path.slice(testdata.length + 1), path]))('consistency %s', (_name, path) => {
    const c = JSON.parse(readFileSync(path, 'utf8')) as ConsistencyCase;
    const got = outcome(() => verifyConsistency(c.size1, c.size2, proofOf(c.proof), b64(c.root1), b64(c.root2)));
    expect(got).toBe(c.wantErr ? 'error' : 'ok');
  });

  it('computes the RFC 6962 reference tree roots for every size 0..8', async () => {
    const ref = JSON.parse(readFileSync(join(VECTORS, 'merkle-ct', 'rfc6962_reference_tree.json'), 'utf8')) as {
      leaf_inputs_hex: string[];
      root_hashes_hex_by_tree_size: string[];
    };
    const leaves = ref.leaf_inputs_hex.map((h) => fromHex(h));
    const tree = await MemoryTree.of(leaves.length, (i) => leaves[i] as Uint8Array);
    const roots = [];
    for (let size = 0; size <= leaves.length; size++) roots.push(toHex(await treeHash(size, tree.read)));
    expect(roots).toEqual(ref.root_hashes_hex_by_tree_size);
  });
});

// MTH straight from RFC 9162 §2.1.1, recursive over the leaves, to check the stored-hash reader against.
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leafHash(leaves[0] as Uint8Array);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const i = Math.floor(bit / 8) % out.length;
  out[i] = (out[i] as number) ^ (1 << (bit % 8));
  return out;
}

const throwsBadProof = (run: () => void): void => {
  expect(run).toThrow(expect.objectContaining({ code: expect.stringMatching(/bad_proof|malformed/) }));
};

describe('merkle trees through stored hashes', () => {
  it('the tree hash equals RFC 9162 MTH for sizes 0..70', async () => {
    const tree = await MemoryTree.of(70);
    for (let size = 0; size <= 70; size++) {
      expect(toHex(await treeHash(size, tree.read))).toBe(toHex(mth(tree.entries.slice(0, size))));
    }
  });

  it('refuses sizes that are not safe non-negative integers and indexes past the end', async () => {
    const tree = await MemoryTree.of(4);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) {
      await expect(treeHash(bad, tree.read)).rejects.toMatchObject({ code: 'out_of_range' });
    }
    await expect(inclusionProof(4, 4, tree.read)).rejects.toMatchObject({ code: 'out_of_range' });
    await expect(consistencyProof(0, 4, tree.read)).rejects.toMatchObject({ code: 'out_of_range' });
    await expect(consistencyProof(3, 2, tree.read)).rejects.toMatchObject({ code: 'out_of_range' });
  });

  // A wrong size is not among the mutations: a path of left children reads the same in trees of one height, so
  // only the root binds the size (the vectors' size mutations are the cases where the path's shape changes).
  it('inclusion proofs verify, and any one-bit change or wrong index fails (sizes up to 2000)', async () => {
    const tree = await MemoryTree.of(2000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2000 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1), fc.nat())),
        async ([size, index, bit]) => {
          const proof = await inclusionProof(index, size, tree.read);
          const root = await treeHash(size, tree.read);
          const leaf = leafHash(tree.entries[index] as Uint8Array);
          verifyInclusion(leaf, index, size, proof, root);
          throwsBadProof(() => verifyInclusion(flipBit(leaf, bit), index, size, proof, root));
          throwsBadProof(() => verifyInclusion(leaf, index, size, proof, flipBit(root, bit)));
          if (proof.length > 0) {
            const i = bit % proof.length;
            const changed = proof.map((p, j) => (j === i ? flipBit(p, bit) : p));
            throwsBadProof(() => verifyInclusion(leaf, index, size, changed, root));
            throwsBadProof(() => verifyInclusion(leaf, index, size, proof.slice(1), root));
          }
          throwsBadProof(() => verifyInclusion(leaf, index, size, [...proof, root], root));
          throwsBadProof(() => verifyInclusion(leaf, index ^ (1 << (bit % 11)) || index + 1, size, proof, root));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('consistency proofs verify, and any one-bit change or swapped sizes fail (sizes up to 2000)', async () => {
    const tree = await MemoryTree.of(2000);
    const sizes = fc
      .integer({ min: 1, max: 2000 })
      .chain((size2) => fc.tuple(fc.integer({ min: 1, max: size2 }), fc.constant(size2)));
    await fc.assert(
      fc.asyncProperty(sizes, fc.nat(), async ([size1, size2], bit) => {
        const proof = await consistencyProof(size1, size2, tree.read);
        const root1 = await treeHash(size1, tree.read);
        const root2 = await treeHash(size2, tree.read);
        verifyConsistency(size1, size2, proof, root1, root2);
        if (size1 === size2) {
          expect(proof).toEqual([]);
          return;
        }
        throwsBadProof(() => verifyConsistency(size1, size2, proof, flipBit(root1, bit), root2));
        throwsBadProof(() => verifyConsistency(size1, size2, proof, root1, flipBit(root2, bit)));
        const i = bit % proof.length;
        throwsBadProof(() =>
          verifyConsistency(
            size1,
            size2,
            proof.map((p, j) => (j === i ? flipBit(p, bit) : p)),
            root1,
            root2,
          ),
        );
        throwsBadProof(() => verifyConsistency(size1, size2, proof.slice(0, -1), root1, root2));
        throwsBadProof(() => verifyConsistency(size1, size2, [...proof, root2], root1, root2));
        throwsBadProof(() => verifyConsistency(size2, size1, proof, root2, root1));
      }),
      { numRuns: 300 },
    );
  });

  it('proves the largest safe sizes without overflow (a sparse reader over a 2^52-leaf tree)', async () => {
    // Leaf n is entry n mod 4, so the stored hash (level, n) depends on n mod 4 only: consistent, and cheap.
    const memo = new Map<string, Uint8Array>();
    const read = (level: number, n: number): Uint8Array => {
      const key = `${level}/${n % 4}`;
      let hash = memo.get(key);
      if (!hash) {
        const m = n % 4;
        hash = level === 0 ? leafHash(Uint8Array.of(m)) : nodeHash(read(level - 1, 2 * m), read(level - 1, 2 * m + 1));
        memo.set(key, hash);
      }
      return hash;
    };
    const size = 2 ** 52 + 12345;
    const index = 2 ** 52 - 7;
    const proof = await inclusionProof(index, size, read);
    verifyInclusion(read(0, index), index, size, proof, await treeHash(size, read));
    const size1 = 2 ** 40 + 3;
    const consistency = await consistencyProof(size1, size, read);
    verifyConsistency(size1, size, consistency, await treeHash(size1, read), await treeHash(size, read));
  });
});
