/**
 * G1 and G2 against @noble/curves: generators, encodings both ways, add,
 * neg, doubling, mult and multPublic (edge scalars included), msm.
 * Shared case module: each entry is one test in Node and in Chromium.
 * @module
 */
import fc from 'fast-check';
import type { CoreLike } from '../../src/core/types.ts';
import { assert, assertBytes } from './lib/assert.ts';
import {
  arbEdgeScalar,
  arbG1,
  arbG2,
  arbScalar,
  G1,
  type G1Point,
  G2,
  type G2Point,
  scalarBytes,
} from './lib/noble.ts';

const RUNS = { numRuns: 12 };

type AnyPoint = G1Point | G2Point;
type Group = {
  name: 'g1' | 'g2';
  Point: typeof G1 | typeof G2;
  arb: fc.Arbitrary<AnyPoint>;
};
const GROUPS: Group[] = [
  { name: 'g1', Point: G1, arb: arbG1 as fc.Arbitrary<AnyPoint> },
  { name: 'g2', Point: G2, arb: arbG2 as fc.Arbitrary<AnyPoint> },
];

// noble cannot encode an infinity it computed (e.g. P + (-P)) unless it is its ZERO object.
const norm = (p: AnyPoint): AnyPoint => (p.is0() ? (p instanceof G1 ? G1.ZERO : G2.ZERO) : p);
const u = (p: AnyPoint) => norm(p).toBytes(false);
const c = (p: AnyPoint) => norm(p).toBytes(true);

function eachGroup(body: (core: CoreLike, g: Group) => Promise<void>) {
  return async (core: CoreLike) => {
    for (const g of GROUPS) await body(core, g);
  };
}

export const groups = {
  'sizes agree with noble': async (core: CoreLike) => {
    const s = await core.sizes;
    assert(s.g1Compressed === G1.BASE.toBytes(true).length, 'g1Compressed');
    assert(s.g1Uncompressed === G1.BASE.toBytes(false).length, 'g1Uncompressed');
    assert(s.g2Compressed === G2.BASE.toBytes(true).length, 'g2Compressed');
    assert(s.g2Uncompressed === G2.BASE.toBytes(false).length, 'g2Uncompressed');
    assert(s.scalar === 32 && s.secretKey === 32 && s.fp === 48 && s.gt === 12 * s.fp, 'scalar, fp and gt sizes');
  },

  'generators are the standard ones': eachGroup(async (core, g) => {
    assertBytes(await core[g.name].generator(), u(g.Point.BASE), `${g.name} generator`);
  }),

  'encodings round-trip and equal noble both ways': eachGroup(async (core, g) => {
    const G = core[g.name];
    await fc.assert(
      fc.asyncProperty(g.arb, async (p) => {
        assertBytes(await G.compress(u(p)), c(p), `${g.name}.compress(uncompressed)`);
        assertBytes(await G.compress(c(p)), c(p), `${g.name}.compress(compressed)`);
        assertBytes(await G.uncompress(c(p)), u(p), `${g.name}.uncompress(compressed)`);
        assertBytes(await G.uncompress(u(p)), u(p), `${g.name}.uncompress(uncompressed)`);
        assert((await G.isValid(c(p))) && (await G.isValid(u(p))), `${g.name}.isValid`);
      }),
      RUNS,
    );
    const zero = g.Point.ZERO;
    assertBytes(await G.uncompress(c(zero)), u(zero), `${g.name} infinity uncompress`);
    assertBytes(await G.compress(u(zero)), c(zero), `${g.name} infinity compress`);
  }),

  'add, neg and doubling match noble': eachGroup(async (core, g) => {
    const G = core[g.name];
    await fc.assert(
      fc.asyncProperty(g.arb, g.arb, async (p, q) => {
        assertBytes(await G.add(u(p), u(q)), u((p as G1Point).add(q as G1Point)), `${g.name}.add`);
        assertBytes(await G.add(u(p), u(p)), u(p.double()), `${g.name}.add(p, p)`);
        assertBytes(await G.neg(u(p)), u(p.negate()), `${g.name}.neg`);
        assertBytes(await G.add(u(p), await G.neg(u(p))), u(g.Point.ZERO), `${g.name} p + (-p)`);
        assertBytes(await G.add(u(p), u(g.Point.ZERO)), u(p), `${g.name} p + 0`);
      }),
      RUNS,
    );
  }),

  'mult and multPublic match noble, edge scalars included': eachGroup(async (core, g) => {
    const G = core[g.name];
    await fc.assert(
      fc.asyncProperty(g.arb, arbEdgeScalar, async (p, k) => {
        const want = u(k === 0n ? g.Point.ZERO : p.multiply(k));
        assertBytes(await G.mult(u(p), scalarBytes(k)), want, `${g.name}.mult`);
        assertBytes(await G.multPublic(u(p), scalarBytes(k)), want, `${g.name}.multPublic`);
      }),
      RUNS,
    );
    assertBytes(await G.mult(u(g.Point.ZERO), scalarBytes(5n)), u(g.Point.ZERO), `${g.name}.mult(infinity)`);
  }),

  'msm equals the sum of products': eachGroup(async (core, g) => {
    const G = core[g.name];
    const term = fc.tuple(g.arb, fc.oneof(arbScalar, fc.constant(0n)));
    await fc.assert(
      fc.asyncProperty(fc.array(term, { minLength: 1, maxLength: 6 }), async (terms) => {
        let want = g.Point.ZERO as AnyPoint;
        for (const [p, k] of terms) if (k !== 0n) want = (want as G1Point).add(p.multiply(k) as G1Point);
        const got = await G.msm(
          terms.map(([p]) => u(p)),
          terms.map(([, k]) => scalarBytes(k)),
        );
        assertBytes(got, u(want), `${g.name}.msm of ${terms.length}`);
      }),
      { numRuns: 4 },
    );
  }),

  'msm over more points than one chunk': async (core: CoreLike) => {
    // 70 terms crosses the core's 64-point work area; small scalars keep noble quick.
    const points = Array.from({ length: 70 }, (_, i) => G1.BASE.multiply(BigInt(i + 1)));
    const ks = points.map((_, i) => BigInt(3 * i + 1));
    let want = G1.ZERO;
    for (const [i, p] of points.entries()) want = want.add(p.multiply(ks[i]!));
    const got = await core.g1.msm(points.map(u), ks.map(scalarBytes));
    assertBytes(got, u(want), 'g1.msm of 70');
  },
};
