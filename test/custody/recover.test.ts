/**
 * recoverFromShares on both DKG groups: every share is checked against the commitments, the wrong ones are
 * named, the secret comes from the first t good ones (its key is C_0), and fewer than t good shares — t − 1
 * honest holders together, or t with a liar among them — are refused with the wrong indices.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { DkgGroup, Share } from '../../src/core/dkg/group.ts';
import { RecoveryError, recoverFromShares } from '../../src/core/dkg/recover.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import { createCore } from '../../src/core/index.ts';

const groups: Record<string, DkgGroup> = {};
beforeAll(async () => {
  groups['bls12-381'] = blsGroup(await createCore());
  groups.secp256k1 = secp256k1Group();
});

/** A share that is a valid scalar but off the polynomial: the value of another index. */
const lie = (shares: readonly Share[], at: number): Share => ({
  index: shares[at]!.index,
  value: shares[(at + 1) % shares.length]!.value,
});

function refusal(run: () => unknown): RecoveryError {
  try {
    run();
  } catch (e) {
    if (e instanceof RecoveryError) return e;
    throw e;
  }
  throw new Error('expected a RecoveryError');
}

describe.each(['bls12-381', 'secp256k1'])('recoverFromShares over %s', (name) => {
  const group = () => groups[name]!;

  it('recovers the dealt secret from any t of the n shares, in any order', () => {
    const secret = group().random();
    const { shares, commitments } = group().deal(secret, 3, 5);
    for (const pick of [
      [0, 1, 2],
      [4, 2, 0],
      [1, 3, 4],
    ]) {
      const r = recoverFromShares(
        group(),
        pick.map((i) => shares[i]!),
        commitments,
        3,
      );
      expect(equalBytes(r.secret, secret)).toBe(true);
      expect(r.wrong).toEqual([]);
    }
  });

  it('names a wrong share and recovers from the good ones after it', () => {
    const secret = group().random();
    const { shares, commitments } = group().deal(secret, 3, 5);
    const given = [lie(shares, 1), shares[0]!, shares[2]!, shares[3]!];
    const r = recoverFromShares(group(), given, commitments, 3);
    expect(r.wrong).toEqual([2]);
    expect(equalBytes(r.secret, secret)).toBe(true);
  });

  it('counts a value that is no scalar (≥ the group order) as wrong', () => {
    const { shares, commitments } = group().deal(group().random(), 2, 3);
    const huge = { index: 3, value: new Uint8Array(32).fill(0xff) };
    const r = recoverFromShares(group(), [huge, shares[0]!, shares[1]!], commitments, 2);
    expect(r.wrong).toEqual([3]);
  });

  it('refuses t − 1 good shares, however right they are', () => {
    const { shares, commitments } = group().deal(group().random(), 3, 5);
    const e = refusal(() => recoverFromShares(group(), [shares[0]!, shares[4]!], commitments, 3));
    expect(e.code).toBe('too_few_shares');
    expect(e.wrong).toEqual([]);
    expect(e.message).toContain('2 good shares, 3 needed');
  });

  it('refuses t shares with a liar among them and names it', () => {
    const { shares, commitments } = group().deal(group().random(), 3, 5);
    const e = refusal(() => recoverFromShares(group(), [shares[0]!, lie(shares, 3), shares[2]!], commitments, 3));
    expect(e.code).toBe('too_few_shares');
    expect(e.wrong).toEqual([4]);
    expect(e.message).toContain('wrong: 4');
  });

  it('refuses commitments that are not one per coefficient, and an index given twice', () => {
    const { shares, commitments } = group().deal(group().random(), 3, 5);
    expect(refusal(() => recoverFromShares(group(), shares, commitments.slice(0, 2), 3)).code).toBe('bad_commitments');
    expect(refusal(() => recoverFromShares(group(), shares, commitments, 2)).code).toBe('bad_commitments');
    const twice = [shares[0]!, shares[1]!, { ...shares[1]! }];
    expect(refusal(() => recoverFromShares(group(), twice, commitments, 3)).code).toBe('duplicate_index');
  });
});
