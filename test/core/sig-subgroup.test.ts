/**
 * The signature's subgroup check inside verification (wasm/src/bls.c): the
 * verifiers decode the signature on the curve only and check psi(S) = u S
 * with the |u| S that the Miller loop builds anyway. These signatures must
 * still be refused with NotInSubgroupError by every verifier that takes the
 * path (verify, FastAggregateVerify on bytes and on validated handles), and
 * valid ones still accepted:
 *  - points of E'(Fp2) of small prime order (factors of the cofactor h2),
 *    where the loop's projective T meets O or +-S and degenerates;
 *  - a valid signature plus such a point (the loop runs normally, T is off);
 *  - points of large order outside G2.
 * In-process only (the handles do not cross a worker).
 * @module
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import { g2OffSubgroup, g2Raw } from '../cases/lib/noble.ts';

const G2 = bls.G2.Point;
type G2Point = InstanceType<typeof G2>;

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

const named = (name: string) => expect.objectContaining({ name });
const msg = new TextEncoder().encode('the subgroup check rides on the Miller loop');

/** k P for any k >= 0 and any point of E'(Fp2) (noble's multiply takes scalars below r only). */
function times(p: G2Point, k: bigint): G2Point {
  let acc = G2.ZERO;
  for (let i = k.toString(2).length - 1; i >= 0; i--) {
    acc = acc.double();
    if ((k >> BigInt(i)) & 1n) acc = acc.add(p);
  }
  return acc;
}

/**
 * A point of prime order q | h2: m P for m = #E'(Fp2) without its factors q (a point of q-power order), then
 * multiplied by q while that stays off O (the q-part may be Z/q x Z/q, so (#E'/q) P can be O for every P).
 */
function pointOfOrder(q: bigint): G2Point {
  let m = G2.CURVE().h * bls.fields.Fr.ORDER;
  while (m % q === 0n) m /= q;
  for (let seed = 1n; seed < 50n; seed += 7n) {
    const { x, y } = g2OffSubgroup(seed);
    let t = times(G2.fromAffine({ x, y }), m);
    if (t.equals(G2.ZERO)) continue;
    for (let next = times(t, q); !next.equals(G2.ZERO); next = times(t, q)) t = next;
    return t;
  }
  throw new Error(`no point of order ${q} found`);
}

/** The compressed encoding (the verifiers take 96-byte signatures only). */
const encoded = (p: G2Point): Uint8Array => {
  const { x, y } = p.toAffine();
  return g2Raw(x, y, true);
};

describe('signature subgroup check merged into verification', () => {
  const sk = new Uint8Array(32).fill(3);

  it('refuses small-order signatures and valid ones shifted by a small-order point', () => {
    const pk = core.bls.skToPk(sk);
    const handle = core.bls.publicKey(pk);
    const sig = G2.fromBytes(core.bls.sign(sk, msg));
    for (const q of [13n, 23n, 2713n, 11953n, 262069n]) {
      const t = pointOfOrder(q);
      expect(times(t, q).equals(G2.ZERO)).toBe(true);
      for (const bad of [t, t.negate(), sig.add(t)]) {
        const s = encoded(bad);
        const what = `order ${q}`;
        expect(() => core.bls.verify(pk, msg, s), what).toThrow(named('NotInSubgroupError'));
        expect(() => core.bls.fastAggregateVerify([pk], msg, s), what).toThrow(named('NotInSubgroupError'));
        expect(() => core.bls.fastAggregateVerify([handle], msg, s), what).toThrow(named('NotInSubgroupError'));
      }
    }
  });

  it('refuses points of large order outside G2, accepts the valid signature', () => {
    const pk = core.bls.skToPk(sk);
    const handle = core.bls.publicKey(pk);
    for (const seed of [1n, 2n, 99n, 1234n]) {
      const { x, y } = g2OffSubgroup(seed);
      const s = g2Raw(x, y, true);
      expect(() => core.bls.verify(pk, msg, s)).toThrow(named('NotInSubgroupError'));
      expect(() => core.bls.fastAggregateVerify([handle], msg, s)).toThrow(named('NotInSubgroupError'));
    }
    const good = core.bls.sign(sk, msg);
    expect(core.bls.verify(pk, msg, good)).toBe(true);
    expect(core.bls.fastAggregateVerify([handle], msg, good)).toBe(true);
    expect(core.bls.verify(pk, new Uint8Array([1]), good)).toBe(false);
    expect(core.bls.verify(pk, msg, G2.ZERO.toBytes(true))).toBe(false);
    expect(core.bls.fastAggregateVerify([handle], msg, G2.ZERO.toBytes(true))).toBe(false);
  });
});
