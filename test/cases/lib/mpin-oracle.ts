/**
 * An independent model of what M-Pin must compute, on top of @noble/curves
 * and @noble/hashes (docs/mpin.md#encodings, #gt and #mapit): Milagro's
 * encodings, its HASH_ID and try-and-increment mapit, and its F_p12 tower
 * Fp4[W]/(W^3 - V) over Fp4 = Fp2[V]/(V^2 - (1+i)) with its own product,
 * to check that the core's GT bytes are the same field element laid out
 * the Milagro way. No vitest, no Node APIs (runs in Chromium too).
 * @module
 */

import { numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bls, concat, Fp, Fp2, G1, type G1Point, type G2Point, P, toBigInt } from './noble.ts';

type Fp2T = ReturnType<typeof Fp2.create>;
export type Fp12T = ReturnType<typeof bls.pairing>;

/** Milagro's MB on BLS381. */
export const MB = 48;
/** The G1 cofactor (u - 1)^2 / 3: Milagro's mapit multiplies by it. */
export const G1_COFACTOR = 0x396c8c005555e1568c00aaab0000aaabn;

const fpBytes = (x: bigint): Uint8Array => numberToBytesBE(x, MB);

/** A 48-byte big-endian scalar. */
export const mpinScalar = (k: bigint): Uint8Array => numberToBytesBE(k, MB);

/** 04 || x || y. */
export function mpinG1(p: G1Point): Uint8Array {
  const a = p.toAffine();
  return concat(Uint8Array.of(4), fpBytes(a.x), fpBytes(a.y));
}

/** x.re || x.im || y.re || y.im. */
export function mpinG2(p: G2Point): Uint8Array {
  const a = p.toAffine();
  return concat(fpBytes(a.x.c0), fpBytes(a.x.c1), fpBytes(a.y.c0), fpBytes(a.y.c1));
}

export function fromMpinG1(b: Uint8Array): G1Point {
  return G1.fromAffine({ x: toBigInt(b.subarray(1, 1 + MB)), y: toBigInt(b.subarray(1 + MB)) });
}

/** mhashit(SHA-256, n, X) into MB bytes: a 4-byte n first when n > 0, left-padded with zeros. */
export function mhash(n: number, ...parts: Uint8Array[]): Uint8Array {
  const prefix = n > 0 ? Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255) : new Uint8Array(0);
  return concat(new Uint8Array(MB - 32), sha256(concat(prefix, ...parts)));
}

export const hashId = (id: Uint8Array): Uint8Array => mhash(0, id);

/** Milagro's ECP_mapit: x = W mod p, x+1, ... until x^3 + 4 is a square; even y; times the cofactor. */
export function mapit(w: Uint8Array): G1Point {
  for (let x = Fp.create(toBigInt(w.subarray(0, MB))); ; x = Fp.add(x, 1n)) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 4n);
    if (Fp.pow(rhs, (P - 1n) / 2n) !== 1n) continue;
    let y = Fp.sqrt(rhs);
    if (y & 1n) y = Fp.neg(y);
    const point = G1.fromAffine({ x, y }).multiplyUnsafe(G1_COFACTOR);
    if (!point.is0()) return point;
  }
}

/** H(ID) = mapit(HASH_ID(ID)). */
export const hashToG1 = (id: Uint8Array): G1Point => mapit(hashId(id));

/** The time-permit point mapit(SHA-256(date || HASH_ID(ID))). */
export const permitPoint = (date: number, id: Uint8Array): G1Point => mapit(mhash(date, hashId(id)));

// ---- Milagro's GT tower ---------------------------------------------------------------------------

/** An element of Milagro's F_p12: a + b W + c W^2, each a + b V in Fp4, each an Fp2. */
export interface MilagroFp12 {
  readonly a: readonly [Fp2T, Fp2T];
  readonly b: readonly [Fp2T, Fp2T];
  readonly c: readonly [Fp2T, Fp2T];
}

type Fp4 = readonly [Fp2T, Fp2T];
const XI = Fp2.create({ c0: 1n, c1: 1n });

/** (a0 + a1 V)(b0 + b1 V) with V^2 = 1 + i. */
function fp4Mul(x: Fp4, y: Fp4): Fp4 {
  const t = Fp2.mul(x[1], y[1]);
  return [Fp2.add(Fp2.mul(x[0], y[0]), Fp2.mul(t, XI)), Fp2.add(Fp2.mul(x[0], y[1]), Fp2.mul(x[1], y[0]))];
}
const fp4Add = (x: Fp4, y: Fp4): Fp4 => [Fp2.add(x[0], y[0]), Fp2.add(x[1], y[1])];
/** Times V: (a0 + a1 V) V = a1 (1 + i) + a0 V. */
const fp4TimesV = (x: Fp4): Fp4 => [Fp2.mul(x[1], XI), x[0]];

/** Schoolbook product in Fp4[W]/(W^3 - V). */
export function milagroMul(x: MilagroFp12, y: MilagroFp12): MilagroFp12 {
  const [xa, xb, xc, ya, yb, yc] = [x.a, x.b, x.c, y.a, y.b, y.c];
  const w0 = fp4Mul(xa, ya);
  const w1 = fp4Add(fp4Mul(xa, yb), fp4Mul(xb, ya));
  const w2 = fp4Add(fp4Add(fp4Mul(xa, yc), fp4Mul(xb, yb)), fp4Mul(xc, ya));
  const w3 = fp4Add(fp4Mul(xb, yc), fp4Mul(xc, yb));
  const w4 = fp4Mul(xc, yc);
  return { a: fp4Add(w0, fp4TimesV(w3)), b: fp4Add(w1, fp4TimesV(w4)), c: w2 };
}

/**
 * noble's Fp12 (Fp6[w]/(w^2 - v), Fp6 = Fp2[v]/(v^3 - (1+i))) in Milagro's
 * tower: both are Fp2[w]/(w^6 - (1+i)) with W = w, V = w^3, so the
 * coefficient of w^k moves to its Milagro slot: a = (w^0, w^3),
 * b = (w^1, w^4), c = (w^2, w^5).
 */
export function toMilagro(x: Fp12T): MilagroFp12 {
  return { a: [x.c0.c0, x.c1.c1], b: [x.c1.c0, x.c0.c2], c: [x.c0.c1, x.c1.c2] };
}

/** FP12_toOctet: a.a.re, a.a.im, a.b.re, ..., c.b.im. */
export function milagroBytes(x: MilagroFp12): Uint8Array {
  return concat(...[x.a, x.b, x.c].flatMap((f4) => f4.flatMap((f2) => [fpBytes(f2.c0), fpBytes(f2.c1)])));
}

export function milagroEqual(x: MilagroFp12, y: MilagroFp12): boolean {
  return [x.a, x.b, x.c].every((f4, i) => f4.every((f2, j) => Fp2.eql(f2, [y.a, y.b, y.c][i]![j]!)));
}

/** Milagro's GT value of e(P, Q): noble's pairing carries the same exponent 3 (p^12 - 1)/r. */
export const milagroPairing = (p: G1Point, q: G2Point): Uint8Array => milagroBytes(toMilagro(bls.pairing(p, q)));

/** The M-Pin Full key: SHA-256(c.a || c.b || x(W) || y(W))[0..16), c = 3 g.a (the trace to Fp4). */
export function fullKey(g: Fp12T, w: G1Point): Uint8Array {
  const m = toMilagro(g);
  const c = m.a.map((f2) => Fp2.mul(f2, 3n));
  const a = w.toAffine();
  const bytes = concat(...c.flatMap((f2) => [fpBytes(f2.c0), fpBytes(f2.c1)]), fpBytes(a.x), fpBytes(a.y));
  return sha256(bytes).subarray(0, 16);
}
