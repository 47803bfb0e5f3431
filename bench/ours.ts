/**
 * Adapter for this core. The scalar-mult and pairing rows use the `raw` handle API: points decoded once into
 * opaque handles in wasm memory, so the rows time the arithmetic and not the encodings (the scalar is still
 * copied in per call, 32 bytes). The hash and BLS rows go through the ordinary byte API, the way an
 * application calls it: compressed keys and signatures in, fully validated (decompression and subgroup
 * checks of every public key and signature are part of the time).
 * @module
 */
import type { Core } from '../src/core/types.ts';
import {
  type Adapter,
  BATCH_ROWS,
  batchOutputs,
  G1_DST,
  G2_DST,
  hex,
  type Inputs,
  type Ops,
  VSS_N,
  VSS_T,
} from './inputs.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

export function oursAdapter(core: Core, x: Inputs): Adapter {
  const { raw, bls } = core;
  const [p, pOut] = [raw.allocP1(), raw.allocP1()];
  const [q, qOut] = [raw.allocP2(), raw.allocP2()];
  const gt = raw.allocGt();
  raw.p1FromBytes(p, x.p1);
  raw.p2FromBytes(q, x.p2);
  const [g1Dst, g2Dst] = [utf8(G1_DST), utf8(G2_DST)];
  const [sk, pk, sig] = [x.sks[0]!, x.pks[0]!, x.sigs[0]!];
  const keys = x.pks.map((p) => bls.publicKey(p));
  const batch = (n: number) => {
    const items = x.pks.slice(0, n).map((publicKey, i) => ({ publicKey, message: x.msg, signature: x.sigs[i]! }));
    return () => bls.verifyBatch(items).ok;
  };
  const ops: Ops = {
    'G1 scalar mult': () => raw.p1Mult(pOut, p, x.scalar),
    'G2 scalar mult': () => raw.p2Mult(qOut, q, x.scalar),
    'G1 scalar mult (public scalar)': () => raw.p1MultPublic(pOut, p, x.scalar),
    'G2 scalar mult (public scalar)': () => raw.p2MultPublic(qOut, q, x.scalar),
    pairing: () => raw.gtPairing(gt, p, q),
    'hash-to-G1': () => core.g1.hashToCurve(x.msg, g1Dst),
    'hash-to-G2': () => core.g2.hashToCurve(x.msg, g2Dst),
    'BLS sign': () => bls.sign(sk, x.msg),
    'BLS verify': () => bls.verify(pk, x.msg, sig),
    'FastAggregateVerify (100 sigs)': () => bls.fastAggregateVerify(x.pks, x.msg, x.aggSig),
    'FastAggregateVerify (100 keys as bytes)': () => bls.fastAggregateVerify(x.pks, x.msg, x.aggSig),
    'FastAggregateVerify (100 validated keys)': () => bls.fastAggregateVerify(keys, x.msg, x.aggSig),
    'batch verify, n = 1 (per signature)': batch(BATCH_ROWS['batch verify, n = 1 (per signature)']),
    'batch verify, n = 8 (per signature)': batch(BATCH_ROWS['batch verify, n = 8 (per signature)']),
    'batch verify, n = 64 (per signature)': batch(BATCH_ROWS['batch verify, n = 64 (per signature)']),
    'VSS: deal 3-of-5': () => core.vss.deal(x.scalar, VSS_T, VSS_N),
    'VSS: verify a share (t = 3)': () => core.vss.verify(x.vssShare, x.vssCommitments),
  };
  const outputs = () => {
    ops['G1 scalar mult']();
    ops['G2 scalar mult']();
    ops.pairing();
    return {
      'G1 scalar mult': hex(core.g1.compress(raw.p1ToBytes(pOut))),
      'G2 scalar mult': hex(core.g2.compress(raw.p2ToBytes(qOut))),
      pairing: hex(raw.gtToBytes(gt)),
      'hash-to-G1': hex(core.g1.compress(ops['hash-to-G1']() as Uint8Array)),
      'hash-to-G2': hex(core.g2.compress(ops['hash-to-G2']() as Uint8Array)),
      'BLS sign': hex(ops['BLS sign']() as Uint8Array),
      'BLS verify': ops['BLS verify']() as boolean,
      'FastAggregateVerify (100 sigs)': ops['FastAggregateVerify (100 sigs)']() as boolean,
      'FastAggregateVerify (100 keys as bytes)': ops['FastAggregateVerify (100 keys as bytes)']() as boolean,
      ...batchOutputs(ops),
      'VSS: verify a share (t = 3)': ops['VSS: verify a share (t = 3)']() as boolean,
    };
  };
  return { ops, outputs };
}
