/**
 * Feldman VSS: every dealt share verifies against the commitments, the
 * commitments are the coefficients times G1 (C_0 = secret·G1, checked with
 * noble), public shares are share·G1, any t shares recover the secret;
 * a share that is off by one, moved to another index or checked against
 * altered commitments fails; malformed commitments are refused with the
 * named error; sum agrees with BigInt arithmetic mod r.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike, Share } from '../../src/core/types.ts';
import { assert, assertBytes, rejectsWith, sameBytes } from './lib/assert.ts';
import { arbScalar, G1, g1NoPointX, g1OffSubgroup, g1Raw, R, scalarBytes, toBigInt } from './lib/noble.ts';

const g1Of = (k: bigint): Uint8Array => G1.BASE.multiply(k).toBytes(true);
const plusOne = (v: Uint8Array): Uint8Array => scalarBytes((toBigInt(v) + 1n) % R);

/** t <= n <= 7. */
const arbTn = fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(fc.integer({ min: 1, max: n }), fc.constant(n)));

export const vss = {
  'every dealt share verifies, public shares are share·G1, any t recover the secret': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbScalar, arbTn, async (secret, [t, n]) => {
        const { shares, commitments } = await core.vss.deal(scalarBytes(secret), t, n);
        assert(shares.length === n && commitments.length === t, `${n} shares and ${t} commitments`);
        assertBytes(commitments[0]!, g1Of(secret), 'C_0 = secret·G1');
        for (const s of shares) {
          assert(await core.vss.verify(s, commitments), `share ${s.index} of ${n} (t = ${t}) verifies`);
          assertBytes(await core.vss.publicShare(s.index, commitments), g1Of(toBigInt(s.value)), `X_${s.index}`);
        }
        assertBytes(await core.shamir.recover(shares.slice(n - t)), scalarBytes(secret), 'the last t recover');
      }),
      { numRuns: 6 },
    );
  },

  'public shares interpolate back to C_0 (shamir.recoverG1)': async (core: CoreLike) => {
    const { commitments } = await core.vss.deal(scalarBytes(987654321n), 3, 5);
    const xs: Share[] = [];
    for (const index of [2, 4, 5]) xs.push({ index, value: await core.vss.publicShare(index, commitments) });
    assertBytes(await core.shamir.recoverG1(xs), commitments[0]!, 'X_2, X_4, X_5 give the group key');
  },

  'a share off by one, at another index or against altered commitments fails': async (core: CoreLike) => {
    const { shares, commitments } = await core.vss.deal(scalarBytes(42n), 3, 5);
    const s = shares[1]!;
    assert(!(await core.vss.verify({ index: s.index, value: plusOne(s.value) }, commitments)), 'value + 1');
    assert(!(await core.vss.verify({ index: 3, value: s.value }, commitments)), 'share 2 claimed as share 3');
    const altered = [commitments[0]!, g1Of(5n), commitments[2]!];
    assert(!(await core.vss.verify(s, altered)), 'C_1 replaced');
    assert(!(await core.vss.verify(s, commitments.slice(0, 2))), 'a commitment dropped');
    const other = await core.vss.deal(scalarBytes(42n), 3, 5);
    assert(!(await core.vss.verify(s, other.commitments)), 'the same secret dealt again');
  },

  'commitments not in G1, off the curve, at infinity for C_0 or of a wrong length are refused': async (
    core: CoreLike,
  ) => {
    const { shares, commitments } = await core.vss.deal(scalarBytes(7n), 2, 3);
    const s = shares[0]!;
    const off = g1OffSubgroup(1000n);
    const cases: [string, Uint8Array[], string][] = [
      ['NotInSubgroupError', [commitments[0]!, g1Raw(off.x, off.y, true)], 'C_1 outside G1'],
      ['NotOnCurveError', [g1Raw(g1NoPointX(5n), 0n, true), commitments[1]!], 'C_0 with no y'],
      ['InfinityError', [G1.ZERO.toBytes(true), commitments[1]!], 'C_0 at infinity'],
      ['BadEncodingError', [commitments[0]!, commitments[1]!.map((b, i) => (i === 0 ? b & 0x7f : b))], 'flags'],
      ['BadLengthError', [commitments[0]!, commitments[1]!.subarray(1)], '47 bytes'],
      ['BadArgumentError', [], 'no commitments'],
    ];
    for (const [name, list, what] of cases) {
      await rejectsWith(name, () => core.vss.verify(s, list), `verify: ${what}`);
      await rejectsWith(name, () => core.vss.publicShare(1, list), `publicShare: ${what}`);
    }
    assert((await core.vss.verify(s, [commitments[0]!, G1.ZERO.toBytes(true)])) === false, 'C_1 = infinity is legal');
  },

  'sum is Σ mod r': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { maxLength: 9 }), async (xs) => {
        const want = xs.reduce((a, b) => a + b, 0n) % R;
        assertBytes(await core.vss.sum(xs.map(scalarBytes)), scalarBytes(want), `sum of ${xs.length}`);
      }),
      { numRuns: 20 },
    );
    assertBytes(await core.vss.sum([scalarBytes(R - 1n), scalarBytes(1n)]), scalarBytes(0n), '(r - 1) + 1');
    await rejectsWith('BadScalarError', () => core.vss.sum([scalarBytes(1n), scalarBytes(R)]), 'a value = r');
  },

  'random gives distinct nonzero scalars below r': async (core: CoreLike) => {
    const seen = new Set<bigint>();
    for (let i = 0; i < 16; i++) {
      const k = toBigInt(await core.vss.random());
      assert(k > 0n && k < R, 'in [1, r)');
      seen.add(k);
    }
    assert(seen.size === 16, '16 draws, 16 values');
  },

  'sizes and bounds: t = 1, t = n, n = 255; t > n, t = 0, n = 256 and a zero secret refused': async (
    core: CoreLike,
  ) => {
    const secret = scalarBytes(31337n);
    const one = await core.vss.deal(secret, 1, 4);
    assert(
      one.shares.every((s) => sameBytes(s.value, secret)),
      't = 1: every share is the secret',
    );
    const all = await core.vss.deal(secret, 4, 4);
    assertBytes(await core.shamir.recover(all.shares), secret, 't = n');
    const big = await core.vss.deal(secret, 2, 255);
    const last = big.shares[254]!;
    assert(last.index === 255 && (await core.vss.verify(last, big.commitments)), 'n = 255: share 255 verifies');
    await rejectsWith('BadArgumentError', () => core.vss.deal(secret, 4, 3), 't > n');
    await rejectsWith('BadArgumentError', () => core.vss.deal(secret, 0, 3), 't = 0');
    await rejectsWith('BadArgumentError', () => core.vss.deal(secret, 2, 256), 'n = 256');
    await rejectsWith('BadScalarError', () => core.vss.deal(scalarBytes(0n), 2, 3), 'a zero secret');
    await rejectsWith('BadScalarError', () => core.vss.deal(scalarBytes(R), 2, 3), 'secret = r');
    await rejectsWith('BadArgumentError', () => core.vss.publicShare(0, big.commitments), 'index 0');
    await rejectsWith('BadArgumentError', () => core.vss.verify({ index: 256, value: secret }, big.commitments), '256');
    await rejectsWith(
      'BadScalarError',
      () => core.vss.verify({ index: 1, value: scalarBytes(R) }, big.commitments),
      'r',
    );
  },
};
