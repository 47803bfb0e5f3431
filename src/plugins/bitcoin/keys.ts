/**
 * secp256k1 key shares and their sums. The address of an order belongs to
 * the point F + B, where F = f·G is the fiduciary's share and B = b·G the
 * beneficiary's: whoever holds f and b holds k = f + b (mod n), and neither
 * f nor b alone says anything about k. Public keys travel compressed
 * (SEC 1 v2, 2.3.3: 0x02/0x03 || x, 33 bytes); secrets are 32-byte
 * big-endian integers in [1, n-1].
 * https://www.secg.org/sec1-v2.pdf
 *
 * Every parser checks length, range and that the point is on the curve, and
 * names only the field in its error.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE, numberToBytesBE } from '@noble/curves/utils.js';
import { BitcoinError, badRequest } from './errors.ts';

export const Point = secp256k1.Point;
export type Point = InstanceType<typeof secp256k1.Point>;
/** The order of the group (and of the scalar field). */
export const N: bigint = Point.Fn.ORDER;
export const SECRET_BYTES = 32;
export const PUBLIC_BYTES = 33;

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

/** A fresh secret share, uniform in [1, n-1] (noble reduces 48 random bytes mod n-1, then adds 1). */
export function generateShare(): Uint8Array {
  return secp256k1.utils.randomSecretKey();
}

/** The secret as a scalar; refuses anything but 32 bytes in [1, n-1]. */
export function parseSecret(value: unknown, field: string): bigint {
  if (!isBytes(value) || value.length !== SECRET_BYTES)
    throw badRequest(`${field}: a secret key is ${SECRET_BYTES} bytes`);
  const d = bytesToNumberBE(value);
  if (d === 0n || d >= N) throw badRequest(`${field}: a secret key must be in [1, n-1]`);
  return d;
}

export function secretToBytes(d: bigint): Uint8Array {
  return numberToBytesBE(d, SECRET_BYTES);
}

/** A compressed public key as a point; refuses other lengths, prefixes, and x with no point on the curve. */
export function parsePublicKey(value: unknown, field: string): Point {
  if (!isBytes(value) || value.length !== PUBLIC_BYTES)
    throw badRequest(`${field}: a public key is ${PUBLIC_BYTES} bytes (compressed)`);
  if (value[0] !== 0x02 && value[0] !== 0x03)
    throw new BitcoinError('invalid_point', `${field}: a compressed public key starts with 02 or 03`);
  let p: Point;
  try {
    p = Point.fromBytes(value);
  } catch {
    throw new BitcoinError('invalid_point', `${field}: not a point on secp256k1`);
  }
  p.assertValidity(); // noble checks on decode; kept as a second guard (cofactor 1: on the curve = in the group)
  return p;
}

export function publicKeyBytes(p: Point): Uint8Array {
  return p.toBytes(true);
}

/** d·G for a secret share (constant-time multiplication). */
export function publicKeyOf(secret: Uint8Array): Uint8Array {
  return publicKeyBytes(Point.BASE.multiply(parseSecret(secret, 'secret')));
}

/**
 * F + B. The sum is infinity only when B = -F; the beneficiary's key is
 * fixed before F is drawn, so that happens with probability ~2^-256 unless
 * someone cheats, and it is refused either way.
 */
export function addPublicKeys(a: Point, b: Point): Point {
  const sum = a.add(b);
  if (sum.is0())
    throw new BitcoinError('invalid_point', 'the two public keys cancel out (sum is the point at infinity)');
  return sum;
}

/** f + b mod n, the recombined private key; zero (b = -f) is refused. */
export function addSecrets(a: Uint8Array, b: Uint8Array): Uint8Array {
  const k = (parseSecret(a, 'fiduciaryShare') + parseSecret(b, 'beneficiarySecret')) % N;
  if (k === 0n) throw badRequest('the two secret shares cancel out');
  return secretToBytes(k);
}
