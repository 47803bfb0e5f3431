/**
 * The pairing against @noble/curves (the same GT bytes) and its algebra:
 * bilinearity, products, the check, and infinity.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, assertBytes, sameBytes } from './lib/assert.ts';
import { arbG1, arbG2, arbScalar, bls, G1, G2, gtBytes, R, scalarBytes } from './lib/noble.ts';

const u1 = (p: InstanceType<typeof G1>) => p.toBytes(false);
const u2 = (p: InstanceType<typeof G2>) => p.toBytes(false);
const ONE = (size: number, fp: number) => {
  const b = new Uint8Array(size);
  b[fp - 1] = 1;
  return b;
};

export const pairing = {
  'pair equals noble GT bytes': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbG1, arbG2, async (p, q) => {
        const [got, want] = [await core.pairing.pair(u1(p), u2(q)), bls.pairing(p, q)];
        // A final exponentiation that yields a power of the pairing is bilinear too, but not the standard value.
        const cube = gtBytes(bls.fields.Fp12.pow(want, 3n));
        assert(!sameBytes(got, cube) || sameBytes(cube, gtBytes(want)), 'pair gives e(P, Q)^3, not e(P, Q)');
        assertBytes(got, gtBytes(want), 'e(P, Q)');
      }),
      { numRuns: 4 },
    );
  },

  'bilinearity: e(aP, bQ) == e(abP, Q) == e(P, abQ)': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbScalar, arbScalar, async (a, b) => {
        const ab = scalarBytes((a * b) % R);
        const [g1, g2] = [await core.g1.generator(), await core.g2.generator()];
        const aP = await core.g1.mult(g1, scalarBytes(a));
        const bQ = await core.g2.mult(g2, scalarBytes(b));
        const lhs = await core.pairing.pair(aP, bQ);
        assertBytes(lhs, await core.pairing.pair(await core.g1.mult(g1, ab), g2), 'e(aP, bQ) vs e(abP, Q)');
        assertBytes(lhs, await core.pairing.pair(g1, await core.g2.mult(g2, ab)), 'e(aP, bQ) vs e(P, abQ)');
      }),
      { numRuns: 2 },
    );
  },

  'multiPair is the product; check accepts exactly the products equal to 1': async (core: CoreLike) => {
    await fc.assert(
      fc.asyncProperty(arbG1, arbG2, arbG2, async (p, q1, q2) => {
        const want = bls.fields.Fp12.mul(bls.pairing(p, q1), bls.pairing(p, q2));
        assertBytes(await core.pairing.multiPair([u1(p), u1(p)], [u2(q1), u2(q2)]), gtBytes(want), 'multiPair');
        assert(await core.pairing.check([u1(p), u1(p.negate())], [u2(q1), u2(q1)]), 'e(P,Q) e(-P,Q) == 1');
        // Q2 = -Q1 makes the product 1 (fast-check favours the scalars 1 and r - 1): check follows the product.
        const isOne = bls.fields.Fp12.eql(want, bls.fields.Fp12.ONE);
        assert((await core.pairing.check([u1(p), u1(p)], [u2(q1), u2(q2)])) === isOne, 'check(e(P,Q1) e(P,Q2))');
      }),
      { numRuns: 2 },
    );
  },

  'infinity pairs to one': async (core: CoreLike) => {
    const { gt, fp } = await core.sizes;
    const one = ONE(gt, fp);
    assertBytes(await core.pairing.pair(u1(G1.ZERO), u2(G2.BASE)), one, 'e(0, Q)');
    assertBytes(await core.pairing.pair(u1(G1.BASE), u2(G2.ZERO)), one, 'e(P, 0)');
    assert(await core.pairing.check([u1(G1.ZERO)], [u2(G2.BASE)]), 'check(e(0, Q))');
  },
};
