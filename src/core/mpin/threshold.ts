/**
 * t-of-n issuing (docs/mpin.md#threshold): when the nodes' master-secret shares s_i are Shamir shares of s
 * (from a DKG over Fr), any t shares s_i·P recombine to s·P by Lagrange interpolation at 0 "in the exponent",
 * and a server-secret share s_i·Q can be checked against the DKG's public share X_i = s_i·G.
 *
 * The core's Shamir recovery (shamir.c) speaks the ZCash encodings; M-Pin speaks Milagro's. The two differ
 * only in layout, so the shares are rewritten byte for byte, never reinterpreted:
 *  - G1: Milagro 04 ‖ x ‖ y is ZCash's uncompressed x ‖ y with a prefix byte;
 *  - G2: Milagro x.re ‖ x.im ‖ y.re ‖ y.im is ZCash's x.im ‖ x.re ‖ y.im ‖ y.re (imaginary part first).
 * ZCash keeps three flag bits in the top of the first coordinate; a canonical coordinate (< p < 2^381) has
 * them clear, so a Milagro input with any of them set is refused here (it could otherwise spell infinity,
 * which Milagro's encoding has no room for). The decoders then check every point in full (canonical,
 * on the curve, in the subgroup). The Lagrange coefficients are public (the indices are), so the
 * variable-time multiplications of shamir.c see no secret scalar.
 * @module
 */
import { bytesArg, callOut, callVerify, integerArg } from '../context.ts';
import { BadArgumentError, BadEncodingError, check, InfinityError } from '../errors.ts';
import type { Share } from '../types.ts';
import type { Arena } from '../wasm/arena.ts';
import type { Err, Ptr } from '../wasm/exports.ts';
import type { Ops } from './ops.ts';

const MAX_SHARES = 255;
const COORD = 48;
/** ZCash's flag bits (compressed, infinity, sign) in the first byte of an encoding. */
const FLAGS = 0xe0;
const INFINITY_FLAG = 0x40;

/** ZCash uncompressed G1 (96 bytes) of a Milagro G1 point (97 bytes). */
function zcashG1(where: string, m: Uint8Array): Uint8Array {
  if (m[0] !== 0x04) throw new BadEncodingError(`${where}: a G1 point must start with 04`);
  return flagsClear(where, m.slice(1));
}

/** Milagro G2 ↔ ZCash uncompressed G2: the real and imaginary halves of x and y swap places (an involution). */
function swapG2(p: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 * COORD);
  for (let c = 0; c < 4; c++) out.set(p.subarray(c * COORD, (c + 1) * COORD), (c ^ 1) * COORD);
  return out;
}

function flagsClear(where: string, z: Uint8Array): Uint8Array {
  if (((z[0] ?? 0) & FLAGS) !== 0) throw new BadEncodingError(`${where}: a coordinate is not below p`);
  return z;
}

/** Milagro bytes of a ZCash uncompressed point; infinity has no Milagro encoding and is refused. */
function milagro(where: string, z: Uint8Array, g2: boolean): Uint8Array {
  if (((z[0] ?? 0) & INFINITY_FLAG) !== 0) throw new InfinityError(`${where}: the shares recombine to infinity`);
  if (g2) return swapG2(z);
  const out = new Uint8Array(1 + z.length);
  out[0] = 0x04;
  out.set(z, 1);
  return out;
}

interface Curve {
  readonly milagroLen: number;
  readonly compressedLen: number;
  readonly uncompressedLen: number;
  readonly toZcash: (where: string, m: Uint8Array) => Uint8Array;
  readonly compress: (out: Ptr, p: Ptr, len: number) => Err;
  readonly uncompress: (out: Ptr, p: Ptr, len: number) => Err;
  readonly recover: (out: Ptr, indices: Ptr, points: Ptr, k: number) => Err;
}

function shareList(where: string, shares: unknown, len: number): { indices: number[]; values: Uint8Array[] } {
  if (!Array.isArray(shares) || shares.length === 0) throw new BadArgumentError(`${where}: no shares`);
  if (shares.length > MAX_SHARES) throw new BadArgumentError(`${where}: at most ${MAX_SHARES} shares`);
  const indices: number[] = [];
  const values: Uint8Array[] = [];
  shares.forEach((s: unknown, i) => {
    const share = (typeof s === 'object' && s !== null ? s : {}) as Partial<Share>;
    indices.push(integerArg(where, `shares[${i}].index`, share.index, 1, MAX_SHARES));
    if (!(share.value instanceof Uint8Array) || share.value.length !== len) {
      throw new BadArgumentError(`${where}: shares[${i}].value must be ${len} bytes`);
    }
    values.push(share.value);
  });
  return { indices, values };
}

/** Compresses each (checked) share in wasm memory, next to each other, for shamir.c. */
function compressAll(a: Arena, where: string, curve: Curve, values: readonly Uint8Array[]): Ptr {
  const out = a.alloc(values.length * curve.compressedLen);
  values.forEach((v, i) => {
    const z = curve.toZcash(where, v);
    const at = a.put(z);
    z.fill(0); // a client-secret share: no copy left behind in JS memory (the arena wipes its own)
    check(curve.compress(out + i * curve.compressedLen, at, z.length), where, `share ${i}`);
  });
  return out;
}

function recoverIn(o: Ops, where: string, curve: Curve, shares: readonly Share[]): Uint8Array {
  const { indices, values } = shareList(where, shares, curve.milagroLen);
  const z = o.ctx.arena.run((a) => {
    const points = compressAll(a, where, curve, values);
    const compressed = a.alloc(curve.compressedLen);
    check(curve.recover(compressed, a.putU32(indices), points, values.length), where);
    const out = a.alloc(curve.uncompressedLen);
    check(curve.uncompress(out, compressed, curve.compressedLen), where);
    return a.read(out, curve.uncompressedLen);
  });
  try {
    return milagro(where, z, curve.milagroLen === 4 * COORD);
  } finally {
    z.fill(0); // s·A is a client secret
  }
}

export function threshold(o: Ops) {
  const { ctx } = o;
  const e = ctx.e;
  const g1: Curve = {
    milagroLen: o.sizes.g1,
    compressedLen: ctx.sizes.g1Compressed,
    uncompressedLen: ctx.sizes.g1Uncompressed,
    toZcash: zcashG1,
    compress: e.dta_g1_compress,
    uncompress: e.dta_g1_uncompress,
    recover: e.dta_shamir_recover_g1,
  };
  const g2: Curve = {
    milagroLen: o.sizes.g2,
    compressedLen: ctx.sizes.g2Compressed,
    uncompressedLen: ctx.sizes.g2Uncompressed,
    toZcash: (where, m) => flagsClear(where, swapG2(m)),
    compress: e.dta_g2_compress,
    uncompress: e.dta_g2_uncompress,
    recover: e.dta_shamir_recover_g2,
  };
  return {
    recoverG1: (shares: readonly Share[]) => recoverIn(o, 'mpin.recoverG1', g1, shares),
    recoverG2: (shares: readonly Share[]) => recoverIn(o, 'mpin.recoverG2', g2, shares),
    verifyServerShare: (publicShare: Uint8Array, serverShare: Uint8Array) =>
      verifyServerShare(o, publicShare, serverShare),
  };
}

/** e(X_i, Q) == e(G, SS_i): SS_i = s_i·Q for the s_i whose G1 public share (compressed ZCash) is X_i. */
function verifyServerShare(o: Ops, publicShare: Uint8Array, serverShare: Uint8Array): boolean {
  const where = 'mpin.verifyServerShare';
  const { ctx } = o;
  const e = ctx.e;
  const x = bytesArg(where, 'publicShare', publicShare, ctx.sizes.g1Compressed);
  const ss = flagsClear(where, swapG2(bytesArg(where, 'serverShare', serverShare, o.sizes.g2)));
  const g1 = ctx.sizes.g1Uncompressed;
  const xi = callOut(ctx, where, g1, (out, a) => e.dta_g1_uncompress(out, a.put(x), x.length));
  if (((xi[0] ?? 0) & INFINITY_FLAG) !== 0) throw new InfinityError(`${where}: publicShare is infinity`);
  const minusG = callOut(ctx, where, g1, (out) => {
    check(e.dta_g1_generator(out), where);
    return e.dta_g1_neg(out, out);
  });
  const q = callOut(ctx, where, ctx.sizes.g2Uncompressed, (out) => e.dta_g2_generator(out));
  return callVerify(ctx, where, (a) => e.dta_pairing_check(a.putConcat([xi, minusG]), a.putConcat([q, ss]), 2));
}
