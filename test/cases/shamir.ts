/**
 * Shamir sharing: any t of n shares recover the secret, fewer do not; the
 * same interpolation in the exponent recovers a BLS public key (G1) and a
 * signature (G2) from t key/signature shares, and noble verifies the result.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike, Share } from '../../src/core/types.ts';
import { assert, assertBytes, sameBytes } from './lib/assert.ts';
import { arbScalar, ascii, bls, scalarBytes } from './lib/noble.ts';

/** t <= n <= 7, and a random subset of the share indices of size `pick(t)`. */
const arbSetup = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n })))
  .chain(([n, t]) =>
    fc.tuple(fc.constant(n), fc.constant(t), fc.shuffledSubarray([...Array(n).keys()], { minLength: t, maxLength: n })),
  );

export const shamir = {
  'any t of n shares recover the secret': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbScalar, arbSetup, async (secret, [n, t, subset]) => {
        const shares = await core.shamir.split(scalarBytes(secret), t, n);
        assert(shares.length === n && shares.every((s, i) => s.index === i + 1), 'indices 1..n');
        const picked = subset.map((i) => shares[i]!);
        assertBytes(
          await core.shamir.recover(picked),
          scalarBytes(secret),
          `recover from ${picked.length} of ${n} (t = ${t})`,
        );
        if (t >= 2) {
          const fewer = await core.shamir.recover(picked.slice(0, t - 1));
          assert(!sameBytes(fewer, scalarBytes(secret)), 't - 1 shares give another value');
        }
      }),
      { numRuns: 20 },
    );
  },

  'splitting twice uses fresh coefficients': async (core: CoreLike) => {
    const secret = scalarBytes(123456789n);
    const [a, b] = [await core.shamir.split(secret, 3, 5), await core.shamir.split(secret, 3, 5)];
    assert(!sameBytes(a[0]!.value, b[0]!.value), 'two splits differ');
    assertBytes(await core.shamir.recover(b.slice(2)), secret, 'the second split recovers too');
  },

  'a BLS key and signature are recovered from t shares and verify with noble': async (core: CoreLike) => {
    const msg = ascii('threshold signed');
    await fc.assert(
      fc.asyncProperty(arbScalar, fc.integer({ min: 1, max: 4 }), async (secret, t) => {
        const n = t + 2;
        const shares = await core.shamir.split(scalarBytes(secret), t, n);
        const chosen = shares.slice(n - t);
        const pkShares: Share[] = [];
        const sigShares: Share[] = [];
        for (const s of chosen) {
          pkShares.push({ index: s.index, value: await core.bls.skToPk(s.value) });
          sigShares.push({ index: s.index, value: await core.bls.sign(s.value, msg) });
        }
        const pk = await core.shamir.recoverG1(pkShares);
        const sig = await core.shamir.recoverG2(sigShares);
        assertBytes(pk, bls.longSignatures.getPublicKey(scalarBytes(secret)).toBytes(true), 'recovered pk');
        assertBytes(sig, await core.bls.sign(scalarBytes(secret), msg), 'recovered signature');
        const dst = await core.bls.dst;
        assert(bls.longSignatures.verify(sig, bls.longSignatures.hash(msg, dst), pk), 'noble verifies it');
      }),
      { numRuns: 3 },
    );
  },
};
