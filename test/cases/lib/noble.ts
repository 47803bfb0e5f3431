/**
 * The oracle: @noble/curves 2.x, and helpers to move between its objects and
 * the core's byte encodings. Also builders for invalid inputs: points on the
 * curve but outside the subgroup (from noble's field sqrt), points off the
 * curve, non-canonical coordinates (x + p), all encoded by hand because
 * noble refuses to encode invalid points.
 * @module
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import fc from 'fast-check';

export { bls };
export const { Fp, Fp2, Fr } = bls.fields;
export const G1 = bls.G1.Point;
export const G2 = bls.G2.Point;
export type G1Point = InstanceType<typeof G1>;
export type G2Point = InstanceType<typeof G2>;
type Fp2T = ReturnType<typeof Fp2.create>;
type Fp12T = ReturnType<typeof bls.pairing>;

export const P = Fp.ORDER;
export const R = Fr.ORDER;
/** Byte length of one Fp element, from noble (the core's comes from the module). */
export const FP_BYTES = Fp.BYTES;
const HALF_P = (P - 1n) / 2n;

export const scalarBytes = (k: bigint): Uint8Array => numberToBytesBE(k, 32);
export const toBigInt = (b: Uint8Array): bigint => bytesToNumberBE(b);
const fpBytes = (x: bigint): Uint8Array => numberToBytesBE(x, FP_BYTES);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** GT in the order of dta.h: c0.c0.c0, c0.c0.c1, c0.c1.c0, ..., c1.c2.c1, each 48 bytes BE. */
export function gtBytes(x: Fp12T): Uint8Array {
  const fp2s = [x.c0.c0, x.c0.c1, x.c0.c2, x.c1.c0, x.c1.c1, x.c1.c2];
  return concat(...fp2s.flatMap((e) => [fpBytes(e.c0), fpBytes(e.c1)]));
}

// ---- fast-check arbitraries ---------------------------------------------------------------------
/** A scalar in [1, r-1]. */
export const arbScalar = fc.bigInt({ min: 1n, max: R - 1n });
/** Scalars that stress the multiplier: small, near r, random. */
export const arbEdgeScalar = fc.oneof(
  fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 128n),
  fc.bigInt({ min: 0n, max: R - 1n }),
);
export const arbG1 = arbScalar.map((k) => G1.BASE.multiply(k));
export const arbG2 = arbScalar.map((k) => G2.BASE.multiply(k));
export const arbMsg = fc.uint8Array({ minLength: 0, maxLength: 80 });
export const arbDst = fc.uint8Array({ minLength: 1, maxLength: 64 });

// ---- hand encodings (also for points noble will not encode) -------------------------------------
export function g1Raw(x: bigint, y: bigint, compressed: boolean): Uint8Array {
  if (!compressed) return concat(fpBytes(x), fpBytes(y));
  const out = fpBytes(x);
  out[0]! |= 0x80 | (y > HALF_P ? 0x20 : 0);
  return out;
}

/** G2 sign: lexicographic on (c1, c0), as in the ZCash encoding. */
function fp2Sign(y: Fp2T): boolean {
  return y.c1 > HALF_P || (y.c1 === 0n && y.c0 > HALF_P);
}

export function g2Raw(x: Fp2T, y: Fp2T, compressed: boolean): Uint8Array {
  if (!compressed) return concat(fpBytes(x.c1), fpBytes(x.c0), fpBytes(y.c1), fpBytes(y.c0));
  const out = concat(fpBytes(x.c1), fpBytes(x.c0));
  out[0]! |= 0x80 | (fp2Sign(y) ? 0x20 : 0);
  return out;
}

function sqrtOrUndefined<T>(f: { sqrt(v: T): T }, v: T): T | undefined {
  try {
    return f.sqrt(v);
  } catch {
    return undefined;
  }
}

/** A point of E(Fp) outside G1: y = sqrt(x^3 + 4) for the first x >= seed that has one. */
export function g1OffSubgroup(seed: bigint): { x: bigint; y: bigint } {
  for (let x = Fp.create(seed); ; x = Fp.add(x, 1n)) {
    const y = sqrtOrUndefined(Fp, Fp.add(Fp.mul(Fp.sqr(x), x), 4n));
    if (y !== undefined && !G1.fromAffine({ x, y }).isTorsionFree()) return { x, y };
  }
}

/** An x whose x^3 + 4 is not a square: no G1 point has it. */
export function g1NoPointX(seed: bigint): bigint {
  for (let x = Fp.create(seed); ; x = Fp.add(x, 1n)) {
    if (sqrtOrUndefined(Fp, Fp.add(Fp.mul(Fp.sqr(x), x), 4n)) === undefined) return x;
  }
}

const B2 = Fp2.create({ c0: 4n, c1: 4n });
const rhs2 = (x: Fp2T) => Fp2.add(Fp2.mul(Fp2.sqr(x), x), B2);

/** A point of E'(Fp2) outside G2. */
export function g2OffSubgroup(seed: bigint): { x: Fp2T; y: Fp2T } {
  for (let c0 = Fp.create(seed); ; c0 = Fp.add(c0, 1n)) {
    const x = Fp2.create({ c0, c1: 1n });
    const y = sqrtOrUndefined(Fp2, rhs2(x));
    if (y !== undefined && !G2.fromAffine({ x, y }).isTorsionFree()) return { x, y };
  }
}

export function g2NoPointX(seed: bigint): Fp2T {
  for (let c0 = Fp.create(seed); ; c0 = Fp.add(c0, 1n)) {
    const x = Fp2.create({ c0, c1: 1n });
    if (sqrtOrUndefined(Fp2, rhs2(x)) === undefined) return x;
  }
}

/** A multiple of the G1 generator whose x is small enough that x + p still fits the 381 bits of the encoding. */
export function g1WithSmallX(): { x: bigint; y: bigint } {
  for (let k = 1n; ; k++) {
    const a = G1.BASE.multiply(k).toAffine();
    if (a.x + P < 1n << 381n) return a;
  }
}

export function g2WithSmallX(): { x: Fp2T; y: Fp2T } {
  for (let k = 1n; ; k++) {
    const a = G2.BASE.multiply(k).toAffine();
    if (a.x.c1 + P < 1n << 381n) return a;
  }
}

/** Big-endian bytes of a value that may exceed p (for non-canonical encodings). */
export const wideFp = (v: bigint): Uint8Array => numberToBytesBE(v, FP_BYTES);
