/**
 * mcl-wasm adapter (benchmark only): points and scalars are decoded to mcl objects before timing.
 * mcl has no BLS API of its own, so sign and verify are written here from its primitives, as a user of
 * mcl would: sign = H(m)^sk, verify = [e(pk, H(m)) * e(-g1, sig)] == 1 with one final exponentiation.
 * In IRTF map-to mode its hash-to-curve is RFC 9380 with the *_POP_ DSTs used for every library here.
 * @module
 */
import * as mcl from 'mcl-wasm';
import {
  type Adapter,
  BATCH_ROWS,
  batchOutputs,
  hex,
  type Inputs,
  type Ops,
  random64,
  VSS_N,
  VSS_T,
} from './inputs.ts';

export async function initMcl(): Promise<void> {
  await mcl.init(mcl.BLS12_381);
  mcl.setETHserialization(true); // ZCash/IETF point encodings, as the other libraries use
  mcl.setMapToMode(mcl.IRTF); // RFC 9380 hash-to-curve
  mcl.verifyOrderG1(true); // deserialize checks the subgroup, as ours and noble do
  mcl.verifyOrderG2(true);
}

function g1(bytes: Uint8Array): mcl.G1 {
  const p = new mcl.G1();
  p.deserialize(bytes);
  return p;
}

function g2(bytes: Uint8Array): mcl.G2 {
  const p = new mcl.G2();
  p.deserialize(bytes);
  return p;
}

function fr(bytes: Uint8Array): mcl.Fr {
  const k = new mcl.Fr();
  k.setStr(Buffer.from(bytes).toString('hex'), 16);
  return k;
}

/** The standard G1 generator, compressed (IETF BLS / ZCash encoding). */
const G1_GENERATOR = Uint8Array.from(
  Buffer.from(
    '97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb',
    'hex',
  ),
);

/** e(pk, H(m)) == e(g1, sig), as one product of Miller loops and one final exponentiation. */
function verify(pk: mcl.G1, msg: Uint8Array, sig: mcl.G2, negG1: mcl.G1): boolean {
  const h = mcl.hashAndMapToG2(msg);
  return mcl.finalExp(mcl.mul(mcl.millerLoop(pk, h), mcl.millerLoop(negG1, sig))).isOne();
}

/**
 * Batch verification written from mcl's primitives, as ours does it: random 64-bit r_i,
 * prod e(r_i pk_i, H(m_i)) * e(-g1, sum r_i sig_i) == 1 with one final exponentiation.
 */
function verifyBatch(pks: readonly mcl.G1[], msg: Uint8Array, sigs: readonly mcl.G2[], negG1: mcl.G1): boolean {
  let f: mcl.GT | undefined;
  let acc: mcl.G2 | undefined;
  for (let i = 0; i < pks.length; i++) {
    const r = fr(random64());
    const term = mcl.millerLoop(mcl.mul(pks[i]!, r), mcl.hashAndMapToG2(msg));
    const rs = mcl.mul(sigs[i]!, r);
    f = f ? mcl.mul(f, term) : term;
    acc = acc ? mcl.add(acc, rs) : rs;
  }
  return mcl.finalExp(mcl.mul(f!, mcl.millerLoop(negG1, acc!))).isOne();
}

/**
 * mcl's constant-time multiplier (mclBnG1_mulCT / mclBnG2_mulCT): exported by its wasm but not wrapped by
 * mcl-wasm's JS API, which only offers the variable-time `mul`; called through the objects' internal op helper.
 */
/** A function of mcl's wasm module (mcl-wasm exports the module as `mod`, untyped). */
function wasmExport(name: string): unknown {
  // The CommonJS getter `mod` is only reachable through the default export under ESM.
  const ns = mcl as unknown as { default?: { mod?: Record<string, unknown> }; mod?: Record<string, unknown> };
  const mod = ns.mod ?? ns.default?.mod ?? {};
  if (typeof mod[name] !== 'function') throw new Error(`mcl-wasm: no ${name} in this build`);
  return mod[name];
}

function mulCT<T extends mcl.G1 | mcl.G2>(p: T, k: mcl.Fr, fn: unknown): T {
  return (p as unknown as { _op2(f: unknown, y: mcl.Fr): T })._op2(fn, k);
}

function frOf(n: number): mcl.Fr {
  const k = new mcl.Fr();
  k.setInt(n);
  return k;
}

/** Feldman dealing from mcl's primitives: CSPRNG coefficients, Horner for the shares, mulCT per commitment. */
function vssDeal(secret: mcl.Fr, generator: mcl.G1) {
  const a = [secret];
  for (let j = 1; j < VSS_T; j++) {
    const c = new mcl.Fr();
    c.setByCSPRNG();
    a.push(c);
  }
  const shares = Array.from({ length: VSS_N }, (_, i) =>
    a.reduceRight((acc, c) => mcl.add(mcl.mul(acc, frOf(i + 1)), c), new mcl.Fr()).serialize(),
  );
  const commitments = a.map((c) => mulCT(generator, c, wasmExport('_mclBnG1_mulCT')).serialize());
  return { shares, commitments };
}

/** share·G1 == Σ C_j·i^j, the commitments deserialized (subgroup-checked) in the call, as ours does. */
function vssVerify(share: { index: number; value: Uint8Array }, commitments: readonly Uint8Array[], generator: mcl.G1) {
  const i = frOf(share.index);
  const x = commitments.map(g1).reduceRight((acc, c) => mcl.add(mcl.mul(acc, i), c), new mcl.G1());
  return mulCT(generator, fr(share.value), wasmExport('_mclBnG1_mulCT')).isEqual(x);
}

export function mclAdapter(x: Inputs): Adapter {
  const k = fr(x.scalar);
  const P = g1(x.p1);
  const Q = g2(x.p2);
  const sk = fr(x.sks[0]!);
  const pk = g1(x.pks[0]!);
  const sig = g2(x.sigs[0]!);
  const pks = x.pks.map(g1);
  const aggSig = g2(x.aggSig);
  const generator = g1(G1_GENERATOR);
  const negG1 = mcl.neg(generator);
  const sigs = x.sigs.map(g2);
  const batch = (n: number) => () => verifyBatch(pks.slice(0, n), x.msg, sigs.slice(0, n), negG1);
  const fav = () => {
    let aggPk = pks[0]!;
    for (let i = 1; i < pks.length; i++) aggPk = mcl.add(aggPk, pks[i]!);
    return verify(aggPk, x.msg, aggSig, negG1);
  };
  const ops: Ops = {
    'G1 scalar mult': () => mulCT(P, k, wasmExport('_mclBnG1_mulCT')),
    'G2 scalar mult': () => mulCT(Q, k, wasmExport('_mclBnG2_mulCT')),
    'G1 scalar mult (public scalar)': () => mcl.mul(P, k),
    'G2 scalar mult (public scalar)': () => mcl.mul(Q, k),
    pairing: () => mcl.pairing(P, Q),
    'hash-to-G1': () => mcl.hashAndMapToG1(x.msg),
    'hash-to-G2': () => mcl.hashAndMapToG2(x.msg),
    'BLS sign': () => mcl.mul(mcl.hashAndMapToG2(x.msg), sk),
    'BLS verify': () => verify(pk, x.msg, sig, negG1),
    'FastAggregateVerify (100 sigs)': fav,
    'FastAggregateVerify (100 keys as bytes)': () => {
      let aggPk = g1(x.pks[0]!);
      for (let i = 1; i < x.pks.length; i++) aggPk = mcl.add(aggPk, g1(x.pks[i]!));
      return verify(aggPk, x.msg, g2(x.aggSig), negG1);
    },
    'FastAggregateVerify (100 validated keys)': fav,
    'batch verify, n = 1 (per signature)': batch(BATCH_ROWS['batch verify, n = 1 (per signature)']),
    'batch verify, n = 8 (per signature)': batch(BATCH_ROWS['batch verify, n = 8 (per signature)']),
    'batch verify, n = 64 (per signature)': batch(BATCH_ROWS['batch verify, n = 64 (per signature)']),
    'VSS: deal 3-of-5': () => vssDeal(k, generator),
    'VSS: verify a share (t = 3)': () => vssVerify(x.vssShare, x.vssCommitments, generator),
  };
  const serialized = (p: unknown) => hex((p as { serialize(): Uint8Array }).serialize());
  const outputs = () => ({
    'G1 scalar mult': serialized(ops['G1 scalar mult']()),
    'G2 scalar mult': serialized(ops['G2 scalar mult']()),
    'hash-to-G1': serialized(ops['hash-to-G1']()),
    'hash-to-G2': serialized(ops['hash-to-G2']()),
    'BLS sign': serialized(ops['BLS sign']()),
    'BLS verify': ops['BLS verify']() as boolean,
    'FastAggregateVerify (100 sigs)': ops['FastAggregateVerify (100 sigs)']() as boolean,
    'FastAggregateVerify (100 keys as bytes)': ops['FastAggregateVerify (100 keys as bytes)']() as boolean,
    ...batchOutputs(ops),
    'VSS: verify a share (t = 3)': ops['VSS: verify a share (t = 3)']() as boolean,
  });
  return { ops, outputs };
}
