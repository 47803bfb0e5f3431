// Properties of Bitcoin Merkle branches on random transaction lists: every branch leads to the root; a changed
// sibling, a changed index or a changed txid does not; a CVE-2012-2459 duplicate list is refused; and the root
// of the duplicated list is the one a naive implementation would accept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256d } from '../../src/core/anchor/hash.ts';
import { merkleBranch, merkleRoot, rootFromBranch } from '../../src/core/anchor/merkle.ts';
import { concat, equalBytes, toHex } from '../../src/core/bytes.ts';

const txidsArb = fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }), {
  minLength: 1,
  maxLength: 70,
  selector: toHex,
});

const climb = (txid: Uint8Array, index: number, branch: readonly Uint8Array[]): string => {
  try {
    return toHex(rootFromBranch(txid, index, branch));
  } catch (e) {
    return (e as { code: string }).code;
  }
};

/** A root computed without the duplicate check: what CVE-2012-2459 exploits. */
function naiveRoot(txids: readonly Uint8Array[]): Uint8Array {
  let level = [...txids];
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(sha256d(concat(level[i]!, level[i + 1] ?? level[i]!)));
    level = up;
  }
  return level[0]!;
}

describe('Bitcoin Merkle branches', () => {
  it('every branch leads from its txid to the root', () => {
    fc.assert(
      fc.property(txidsArb, (txids) => {
        const root = toHex(merkleRoot(txids));
        expect(root).toBe(toHex(naiveRoot(txids)));
        txids.forEach((txid, i) => {
          expect(climb(txid, i, merkleBranch(txids, i))).toBe(root);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('a changed sibling, index or txid leads elsewhere', () => {
    const cases = txidsArb.chain((txids) =>
      fc.tuple(fc.constant(txids), fc.nat(txids.length - 1), fc.nat(40), fc.nat(255), fc.integer({ min: 1, max: 255 })),
    );
    fc.assert(
      fc.property(cases, ([txids, index, pick, byte, flip]) => {
        const root = toHex(merkleRoot(txids));
        const branch = merkleBranch(txids, index);
        const otherIndex = index ^ (1 << (pick % Math.max(branch.length, 1)));
        expect(climb(txids[index]!, otherIndex, branch)).not.toBe(root);
        const txid = txids[index]!.slice();
        txid[byte % 32]! ^= flip;
        expect(climb(txid, index, branch)).not.toBe(root);
        if (branch.length > 0) {
          const changed = branch.map((h) => h.slice());
          changed[pick % branch.length]![byte % 32]! ^= flip;
          expect(climb(txids[index]!, index, changed)).not.toBe(root);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a duplicated-tail list (CVE-2012-2459) whose naive root equals the original', () => {
    const odd = txidsArb.filter((t) => t.length % 2 === 1 && t.length > 1);
    fc.assert(
      fc.property(odd, (txids) => {
        const forged = [...txids, txids[txids.length - 1]!];
        expect(equalBytes(naiveRoot(forged), merkleRoot(txids))).toBe(true);
        expect(() => merkleRoot(forged)).toThrow(expect.objectContaining({ code: 'mutated_merkle' }));
      }),
      { numRuns: 40 },
    );
  });

  it('refuses an index the branch cannot hold', () => {
    const txids = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3)];
    const branch = merkleBranch(txids, 2);
    expect(climb(txids[2]!, 4, branch)).toBe('bad_branch');
    expect(climb(txids[2]!, 3, branch)).toBe('bad_branch'); // the right node paired with itself
    expect(climb(txids[2]!, -1, branch)).toBe('bad_branch');
  });
});
