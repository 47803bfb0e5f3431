/**
 * The DKG group secp256k1 (scalars mod n, compressed 33-byte SEC 1 points), over @noble/curves as the
 * Bitcoin plugin's keys.ts does: noble's multiplication by a secret is constant time, its bigint field
 * arithmetic (polynomial evaluation, sums, Lagrange) is not guaranteed to be — the same exposure as the
 * Bitcoin plugin's shares today (docs/protocol.md#distributed-key-generation-and-resharing). The identity
 * has no compressed encoding, so no commitment may be the identity (probability 2^-256 for an honest
 * dealer). A proof of possession is a BIP340 Schnorr signature by f_i(0) over SHA-256(message), checked
 * against the x-coordinate of C_i,0.
 * @module
 */

import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { DkgGroup, Share } from './group.ts';

const Point = secp256k1.Point;
type Point = InstanceType<typeof secp256k1.Point>;
const Fn = Point.Fn;
const SCALAR_BYTES = 32;
const POINT_BYTES = 33;
const MAX_SHARES = 255;

const toScalar = (s: Uint8Array): bigint => {
  const v = bytesToNumberBE(s);
  if (s.length !== SCALAR_BYTES || v >= Fn.ORDER) throw new RangeError('secp256k1 group: not a scalar mod n');
  return v;
};
const scalarBytes = (v: bigint): Uint8Array => numberToBytesBE(v, SCALAR_BYTES);
const toPoint = (p: Uint8Array): Point => Point.fromBytes(p); // noble checks the curve (cofactor 1: the group)
const pointBytes = (p: Point): Uint8Array => p.toBytes(true);

function isPoint(p: Uint8Array): boolean {
  if (p.length !== POINT_BYTES) return false;
  try {
    toPoint(p).assertValidity();
    return true;
  } catch {
    return false;
  }
}

/** Σ_j C_j·x^j by Horner, variable time (public data). */
function evalCommitments(commitments: readonly Uint8Array[], x: bigint): Point {
  let acc = Point.ZERO;
  for (let j = commitments.length - 1; j >= 0; j--) {
    acc = acc.multiplyUnsafe(x).add(toPoint(commitments[j] as Uint8Array));
  }
  return acc;
}

/** a_0 + a_1·x + … by Horner. */
function evalPolynomial(coefficients: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  for (let j = coefficients.length - 1; j >= 0; j--) acc = Fn.add(Fn.mul(acc, x), coefficients[j] as bigint);
  return acc;
}

function checkIndices(shares: readonly Share[]): void {
  const seen = new Set<number>();
  for (const s of shares) {
    if (!Number.isInteger(s.index) || s.index < 1 || s.index > MAX_SHARES || seen.has(s.index)) {
      throw new RangeError('secp256k1 group: share indices must be distinct integers in 1..255');
    }
    seen.add(s.index);
  }
  if (shares.length === 0) throw new RangeError('secp256k1 group: no shares');
}

/** The Lagrange coefficients at 0 of the indices of `shares`. */
function lagrangeAtZero(shares: readonly Share[]): bigint[] {
  checkIndices(shares);
  return shares.map((si) => {
    let num = 1n;
    let den = 1n;
    for (const sj of shares) {
      if (sj.index === si.index) continue;
      num = Fn.mul(num, BigInt(sj.index));
      den = Fn.mul(den, Fn.sub(BigInt(sj.index), BigInt(si.index)));
    }
    return Fn.div(num, den);
  });
}

function deal(secret: Uint8Array, t: number, n: number): { shares: Share[]; commitments: Uint8Array[] } {
  if (!Number.isInteger(t) || !Number.isInteger(n) || t < 1 || t > n || n > MAX_SHARES) {
    throw new RangeError('secp256k1 group: need 1 ≤ t ≤ n ≤ 255');
  }
  const coefficients = [toScalar(secret)];
  for (let j = 1; j < t; j++) coefficients.push(bytesToNumberBE(secp256k1.utils.randomSecretKey()));
  const commitments = coefficients.map((a) => pointBytes(Point.BASE.multiply(a)));
  const shares = Array.from({ length: n }, (_, i) => ({
    index: i + 1,
    value: scalarBytes(evalPolynomial(coefficients, BigInt(i + 1))),
  }));
  coefficients.fill(0n); // bigints cannot be wiped in place; drop the references at least
  return { shares, commitments };
}

/** The secp256k1 group. */
export function secp256k1Group(): DkgGroup {
  return Object.freeze({
    name: 'secp256k1' as const,
    scalarBytes: SCALAR_BYTES,
    pointBytes: POINT_BYTES,
    random: () => secp256k1.utils.randomSecretKey(),
    isScalar: (s: Uint8Array) => s.length === SCALAR_BYTES && bytesToNumberBE(s) < Fn.ORDER,
    deal,
    areCommitments: (cs: readonly Uint8Array[]) => cs.length > 0 && cs.every(isPoint),
    verifyShare: (share: Share, cs: readonly Uint8Array[]) => {
      const v = bytesToNumberBE(share.value);
      if (share.value.length !== SCALAR_BYTES || v === 0n || v >= Fn.ORDER) return false;
      return Point.BASE.multiply(v).equals(evalCommitments(cs, BigInt(share.index)));
    },
    publicShare: (index: number, cs: readonly Uint8Array[]) => pointBytes(evalCommitments(cs, BigInt(index))),
    sumScalars: (scalars: readonly Uint8Array[]) =>
      scalarBytes(scalars.map(toScalar).reduce((a, b) => Fn.add(a, b), 0n)),
    sumPoints: (points: readonly Uint8Array[]) => pointBytes(points.map(toPoint).reduce((a, b) => a.add(b))),
    publicKey: (secret: Uint8Array) => pointBytes(Point.BASE.multiply(toScalar(secret))),
    recover: (shares: readonly Share[]) => {
      const lambdas = lagrangeAtZero(shares);
      return scalarBytes(
        shares.reduce((acc, s, i) => Fn.add(acc, Fn.mul(toScalar(s.value), lambdas[i] as bigint)), 0n),
      );
    },
    recoverPoints: (shares: readonly Share[]) => {
      const lambdas = lagrangeAtZero(shares);
      const sum = shares.reduce(
        (acc, s, i) => acc.add(toPoint(s.value).multiplyUnsafe(lambdas[i] as bigint)),
        Point.ZERO,
      );
      return pointBytes(sum);
    },
    provePossession: (secret: Uint8Array, message: Uint8Array) => schnorr.sign(sha256(message), secret),
    verifyPossession: (pk: Uint8Array, message: Uint8Array, proof: Uint8Array) => {
      try {
        return pk.length === POINT_BYTES && schnorr.verify(proof, sha256(message), pk.subarray(1));
      } catch {
        return false;
      }
    },
  });
}
