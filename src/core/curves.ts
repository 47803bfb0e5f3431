/**
 * G1 and G2 over Uint8Array: encodings, group arithmetic, multi-scalar
 * multiplication and RFC 9380 hash-to-curve. The two groups have the same
 * API; only the export names and the sizes differ, so one factory builds
 * both from a table of exports.
 *
 * Arithmetic takes uncompressed points (the C functions validate them:
 * canonical coordinates, flags, on curve, in subgroup); validate, compress
 * and uncompress accept either encoding, told apart by length.
 * @module
 */

import { byteListArg, bytesArg, bytesArgOneOf, type Context, callOut } from './context.ts';
import { BadArgumentError, check, isDtaError } from './errors.ts';
import type { GroupApi } from './types.ts';
import type { CoreExports, Err, Ptr } from './wasm/exports.ts';

/** The C functions of one group. */
interface GroupExports {
  validate(input: Ptr, len: number): Err;
  compress(out: Ptr, input: Ptr, len: number): Err;
  uncompress(out: Ptr, input: Ptr, len: number): Err;
  generator(out: Ptr): Err;
  add(out: Ptr, a: Ptr, b: Ptr): Err;
  neg(out: Ptr, a: Ptr): Err;
  mult(out: Ptr, p: Ptr, s: Ptr): Err;
  multPublic(out: Ptr, p: Ptr, s: Ptr): Err;
  msm(out: Ptr, points: Ptr, scalars: Ptr, n: number): Err;
  hashToCurve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
  encodeToCurve(out: Ptr, msg: Ptr, msgLen: number, dst: Ptr, dstLen: number): Err;
}

function g1Exports(e: CoreExports): GroupExports {
  return {
    validate: e.dta_g1_validate,
    compress: e.dta_g1_compress,
    uncompress: e.dta_g1_uncompress,
    generator: e.dta_g1_generator,
    add: e.dta_g1_add,
    neg: e.dta_g1_neg,
    mult: e.dta_g1_mult,
    multPublic: e.dta_g1_mult_public,
    msm: e.dta_g1_msm_public,
    hashToCurve: e.dta_g1_hash_to_curve,
    encodeToCurve: e.dta_g1_encode_to_curve,
  };
}

function g2Exports(e: CoreExports): GroupExports {
  return {
    validate: e.dta_g2_validate,
    compress: e.dta_g2_compress,
    uncompress: e.dta_g2_uncompress,
    generator: e.dta_g2_generator,
    add: e.dta_g2_add,
    neg: e.dta_g2_neg,
    mult: e.dta_g2_mult,
    multPublic: e.dta_g2_mult_public,
    msm: e.dta_g2_msm_public,
    hashToCurve: e.dta_g2_hash_to_curve,
    encodeToCurve: e.dta_g2_encode_to_curve,
  };
}

function makeGroup(
  ctx: Context,
  name: 'g1' | 'g2',
  x: GroupExports,
  compressed: number,
  uncompressed: number,
): GroupApi {
  const scalarLen = ctx.sizes.scalar;
  const point = (where: string, p: unknown) => bytesArg(`${name}.${where}`, 'point', p, uncompressed);
  const anyPoint = (where: string, p: unknown) =>
    bytesArgOneOf(`${name}.${where}`, 'point', p, [compressed, uncompressed]);
  const scalar = (where: string, s: unknown) => bytesArg(`${name}.${where}`, 'scalar', s, scalarLen);

  const validate = (p: Uint8Array): void => {
    const input = anyPoint('validate', p);
    ctx.arena.run((a) =>
      check(x.validate(a.put(input), input.length), `${name}.validate`, `${input.length}-byte point`),
    );
  };

  const convert = (where: 'compress' | 'uncompress', outLen: number) => (p: Uint8Array) => {
    const input = anyPoint(where, p);
    return callOut(ctx, `${name}.${where}`, outLen, (out, a) => x[where](out, a.put(input), input.length));
  };

  const multiply = (where: 'mult' | 'multPublic') => (p: Uint8Array, s: Uint8Array) => {
    const pt = point(where, p);
    const sc = scalar(where, s);
    return callOut(ctx, `${name}.${where}`, uncompressed, (out, a) => x[where](out, a.put(pt), a.put(sc)));
  };

  const hashing = (where: 'hashToCurve' | 'encodeToCurve') => (msg: Uint8Array, dst: Uint8Array) => {
    const m = bytesArg(`${name}.${where}`, 'msg', msg);
    const d = bytesArg(`${name}.${where}`, 'dst', dst);
    return callOut(ctx, `${name}.${where}`, uncompressed, (out, a) =>
      x[where](out, a.put(m), m.length, a.put(d), d.length),
    );
  };

  return Object.freeze({
    generator: () => callOut(ctx, `${name}.generator`, uncompressed, (out) => x.generator(out)),
    validate,
    isValid(p: Uint8Array): boolean {
      try {
        validate(p);
        return true;
      } catch (e) {
        if (isDtaError(e)) return false;
        throw e;
      }
    },
    compress: convert('compress', compressed),
    uncompress: convert('uncompress', uncompressed),
    add(p: Uint8Array, q: Uint8Array): Uint8Array {
      const [pa, pb] = [point('add', p), point('add', q)];
      return callOut(ctx, `${name}.add`, uncompressed, (out, a) => x.add(out, a.put(pa), a.put(pb)));
    },
    neg(p: Uint8Array): Uint8Array {
      const pa = point('neg', p);
      return callOut(ctx, `${name}.neg`, uncompressed, (out, a) => x.neg(out, a.put(pa)));
    },
    mult: multiply('mult'),
    multPublic: multiply('multPublic'),
    msm(points: readonly Uint8Array[], scalars: readonly Uint8Array[]): Uint8Array {
      const ps = byteListArg(`${name}.msm`, 'points', points, uncompressed);
      const ss = byteListArg(`${name}.msm`, 'scalars', scalars, scalarLen);
      if (ps.length !== ss.length) {
        throw new BadArgumentError(`${name}.msm: ${ps.length} points but ${ss.length} scalars`);
      }
      return callOut(ctx, `${name}.msm`, uncompressed, (out, a) =>
        x.msm(out, a.putConcat(ps), a.putConcat(ss), ps.length),
      );
    },
    hashToCurve: hashing('hashToCurve'),
    encodeToCurve: hashing('encodeToCurve'),
  });
}

export function makeG1(ctx: Context): GroupApi {
  return makeGroup(ctx, 'g1', g1Exports(ctx.e), ctx.sizes.g1Compressed, ctx.sizes.g1Uncompressed);
}

export function makeG2(ctx: Context): GroupApi {
  return makeGroup(ctx, 'g2', g2Exports(ctx.e), ctx.sizes.g2Compressed, ctx.sizes.g2Uncompressed);
}
