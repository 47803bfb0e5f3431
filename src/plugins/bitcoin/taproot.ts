/**
 * BIP-341 key-path-only outputs, as BIP-86 uses them: the output key is
 *   Q = P + t·G,  t = int(hash_TapTweak(x(P))),
 * where P is the internal key lifted to even y (BIP-340 x-only keys), and
 * the address commits to x(Q). Spending by key path signs with the tweaked
 * secret d' = (d or n - d, whichever gives even y) + t. There is no script
 * tree, so nobody can spend through a hidden script path.
 * https://github.com/bitcoin/bips/blob/master/bip-0341.mediawiki#constructing-and-spending-taproot-outputs
 * https://github.com/bitcoin/bips/blob/master/bip-0086.mediawiki#address-derivation
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { bytesToNumberBE } from '@noble/curves/utils.js';
import { badRequest } from './errors.ts';
import { N, Point, parseSecret, secretToBytes } from './keys.ts';

export interface TaprootKeys {
  readonly internalKey: Uint8Array; // x(P), 32 bytes
  readonly outputKey: Uint8Array; // x(Q), 32 bytes: what the scriptPubKey and the address carry
  readonly outputParity: 0 | 1; // y(Q) mod 2, needed by script-path control blocks (and checked in tests)
}

/** t for an internal key; BIP-341 fails when the hash is not below n (probability ~2^-128). */
function tweakScalar(internalKey: Uint8Array): bigint {
  const t = bytesToNumberBE(schnorr.utils.taggedHash('TapTweak', internalKey));
  if (t >= N) throw badRequest('taproot tweak out of range');
  return t;
}

/** y is even exactly when the compressed encoding starts with 02 (SEC 1, 2.3.3). */
function hasEvenY(p: Point): boolean {
  return p.toBytes(true)[0] === 0x02;
}

function xOnly(p: Point): Uint8Array {
  return p.toBytes(true).subarray(1);
}

/** The BIP-86 output key of a (full, not x-only) public key. */
export function taprootKeys(publicKey: Point): TaprootKeys {
  const even = hasEvenY(publicKey) ? publicKey : publicKey.negate();
  const internalKey = xOnly(even);
  const q = even.add(Point.BASE.multiply(tweakScalar(internalKey))); // t is public
  if (q.is0()) throw badRequest('taproot output key is the point at infinity');
  return { internalKey, outputKey: xOnly(q), outputParity: hasEvenY(q) ? 0 : 1 };
}

/** The secret that signs for the BIP-86 output key of d·G (key-path spending). */
export function taprootTweakSecret(secret: Uint8Array): Uint8Array {
  const d = parseSecret(secret, 'secret');
  const p = Point.BASE.multiply(d);
  const dEven = hasEvenY(p) ? d : N - d;
  const tweaked = (dEven + tweakScalar(xOnly(p))) % N;
  if (tweaked === 0n) throw badRequest('taproot tweaked secret is zero');
  return secretToBytes(tweaked);
}
