/**
 * @noble/curves 2.x adapter: points are decoded to Point objects and scalars to bigints before timing,
 * the way a noble user holds them. Signing and verifying start from the message bytes.
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import {
  type Adapter,
  BATCH_ROWS,
  batchOutputs,
  evalPoly,
  G1_DST,
  G2_DST,
  hex,
  type Inputs,
  type Ops,
  random64,
  randomScalar,
  SIG_DST,
  scalarBytes,
  VSS_N,
  VSS_T,
} from './inputs.ts';

const { G1, G2 } = bls12_381;
const bls = bls12_381.longSignatures;
const { Fp12 } = bls12_381.fields;

function toBigInt(bytes: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

const pointHex = (p: unknown) => (p as { toHex(compressed: boolean): string }).toHex(true);

/** Feldman dealing from noble's primitives: Horner for the shares, a constant-time multiply per commitment. */
function vssDeal(secret: bigint) {
  const a = [secret, ...Array.from({ length: VSS_T - 1 }, randomScalar)];
  const shares = Array.from({ length: VSS_N }, (_, i) => scalarBytes(evalPoly(a, BigInt(i + 1))));
  return { shares, commitments: a.map((c) => G1.Point.BASE.multiply(c).toBytes(true)) };
}

/** share·G1 == Σ C_j·i^j, the commitments decoded (and subgroup-checked) from bytes in the call, as ours does. */
function vssVerify(share: { index: number; value: Uint8Array }, commitments: readonly Uint8Array[]): boolean {
  const c = commitments.map((b) => G1.Point.fromBytes(b));
  const i = BigInt(share.index);
  const x = c.reduceRight((acc, cj) => acc.multiplyUnsafe(i).add(cj), G1.Point.ZERO);
  return G1.Point.BASE.multiply(toBigInt(share.value)).equals(x);
}

export function nobleAdapter(x: Inputs): Adapter {
  const k = toBigInt(x.scalar);
  const P = G1.Point.fromBytes(x.p1);
  const Q = G2.Point.fromBytes(x.p2);
  const sk = x.sks[0]!;
  const pk = G1.Point.fromBytes(x.pks[0]!);
  const sig = G2.Point.fromBytes(x.sigs[0]!);
  const pks = x.pks.map((b) => G1.Point.fromBytes(b));
  const aggSig = G2.Point.fromBytes(x.aggSig);
  const sigs = x.sigs.map((b) => G2.Point.fromBytes(b));
  const negG1 = G1.Point.BASE.negate();
  // The same randomized batch as ours and mcl's: one pairingBatch, one final exponentiation.
  const batch = (n: number) => () => {
    const rs = Array.from({ length: n }, () => toBigInt(random64()) || 1n);
    const h = bls.hash(x.msg, SIG_DST);
    const pairs = rs.map((r, i) => ({ g1: pks[i]!.multiplyUnsafe(r), g2: h }));
    const acc = rs.reduce((sum, r, i) => sum.add(sigs[i]!.multiplyUnsafe(r)), G2.Point.ZERO);
    return Fp12.eql(bls12_381.pairingBatch([...pairs, { g1: negG1, g2: acc }]), Fp12.ONE);
  };
  const ops: Ops = {
    'G1 scalar mult': () => P.multiply(k),
    'G2 scalar mult': () => Q.multiply(k),
    'G1 scalar mult (public scalar)': () => P.multiplyUnsafe(k),
    'G2 scalar mult (public scalar)': () => Q.multiplyUnsafe(k),
    pairing: () => bls12_381.pairing(P, Q),
    'hash-to-G1': () => G1.hashToCurve(x.msg, { DST: G1_DST }),
    'hash-to-G2': () => G2.hashToCurve(x.msg, { DST: G2_DST }),
    'BLS sign': () => bls.sign(bls.hash(x.msg, SIG_DST), sk),
    'BLS verify': () => bls.verify(sig, bls.hash(x.msg, SIG_DST), pk),
    'FastAggregateVerify (100 sigs)': () => bls.verify(aggSig, bls.hash(x.msg, SIG_DST), bls.aggregatePublicKeys(pks)),
    'FastAggregateVerify (100 keys as bytes)': () =>
      bls.verify(
        G2.Point.fromBytes(x.aggSig),
        bls.hash(x.msg, SIG_DST),
        bls.aggregatePublicKeys(x.pks.map((b) => G1.Point.fromBytes(b))),
      ),
    'FastAggregateVerify (100 validated keys)': () =>
      bls.verify(aggSig, bls.hash(x.msg, SIG_DST), bls.aggregatePublicKeys(pks)),
    'batch verify, n = 1 (per signature)': batch(BATCH_ROWS['batch verify, n = 1 (per signature)']),
    'batch verify, n = 8 (per signature)': batch(BATCH_ROWS['batch verify, n = 8 (per signature)']),
    'batch verify, n = 64 (per signature)': batch(BATCH_ROWS['batch verify, n = 64 (per signature)']),
    'VSS: deal 3-of-5': () => vssDeal(k),
    'VSS: verify a share (t = 3)': () => vssVerify(x.vssShare, x.vssCommitments),
  };
  const outputs = () => ({
    'G1 scalar mult': pointHex(ops['G1 scalar mult']()),
    'G2 scalar mult': pointHex(ops['G2 scalar mult']()),
    pairing: hex(Fp12.toBytes(bls12_381.pairing(P, Q))),
    'hash-to-G1': pointHex(ops['hash-to-G1']()),
    'hash-to-G2': pointHex(ops['hash-to-G2']()),
    'BLS sign': pointHex(ops['BLS sign']()),
    'BLS verify': ops['BLS verify']() as boolean,
    'FastAggregateVerify (100 sigs)': ops['FastAggregateVerify (100 sigs)']() as boolean,
    'FastAggregateVerify (100 keys as bytes)': ops['FastAggregateVerify (100 keys as bytes)']() as boolean,
    ...batchOutputs(ops),
    'VSS: verify a share (t = 3)': ops['VSS: verify a share (t = 3)']() as boolean,
  });
  return { ops, outputs };
}
