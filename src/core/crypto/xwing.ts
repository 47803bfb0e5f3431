/**
 * The X-Wing KEM (draft-connolly-cfrg-xwing-kem-06: ML-KEM-768 + X25519,
 * HPKE kem_id 0x647A) over @noble/post-quantum's ml_kem768_x25519, with the
 * draft's sizes and a 32-byte seed as the secret key (expanded with
 * SHAKE-256 on every use, as the draft specifies).
 *
 * `x25519` is the very X25519 function the KEM's classical half runs
 * (noble-curves' x25519, the module @noble/post-quantum imports), exposed so
 * the Wycheproof X25519 vectors test the code path envelopes depend on.
 * @module
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { BadLengthError } from '../errors.ts';
import { expectBytes, randomBytes } from '../bytes.ts';
import { InvalidKeyError } from './errors.ts';
import type { Kem, XWingKeyPair } from './types.ts';

export const XWING_ID = 0x647a;
export const XWING_SEED_BYTES = 32;
export const XWING_PUBLIC_KEY_BYTES = 1216;
export const XWING_ENC_BYTES = 1120;
export const XWING_ESEED_BYTES = 64;
export const XWING_SHARED_SECRET_BYTES = 32;

/** Runs a noble KEM call, turning its plain Errors (bad key, low-order X25519 point) into InvalidKeyError. */
function guarded<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BadLengthError) throw e;
    throw new InvalidKeyError(`${where}: the KEM refused its input (${e instanceof Error ? e.message : 'error'})`);
  }
}

function keygen(seed: Uint8Array = randomBytes(XWING_SEED_BYTES)): XWingKeyPair {
  expectBytes(seed, XWING_SEED_BYTES, 'xwing.keygen seed');
  const { publicKey } = guarded('xwing.keygen', () => ml_kem768_x25519.keygen(seed));
  return { secretKey: seed.slice(), publicKey };
}

function encap(publicKey: Uint8Array, eseed?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  expectBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'xwing.encap public key');
  if (eseed !== undefined) expectBytes(eseed, XWING_ESEED_BYTES, 'xwing.encap eseed');
  const r = guarded('xwing.encap', () => ml_kem768_x25519.encapsulate(publicKey, eseed ?? randomBytes(XWING_ESEED_BYTES)));
  return { sharedSecret: r.sharedSecret, enc: r.cipherText };
}

function decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(enc, XWING_ENC_BYTES, 'xwing.decap enc');
  expectBytes(secretKey, XWING_SEED_BYTES, 'xwing.decap secret key');
  return guarded('xwing.decap', () => ml_kem768_x25519.decapsulate(enc, secretKey));
}

/** The X-Wing KEM. */
export const xwing: Kem = Object.freeze({
  id: XWING_ID,
  publicKeyBytes: XWING_PUBLIC_KEY_BYTES,
  encBytes: XWING_ENC_BYTES,
  sharedSecretBytes: XWING_SHARED_SECRET_BYTES,
  keygen,
  encap,
  decap,
});

/**
 * X25519(scalar, u) of RFC 7748, the function X-Wing's classical half uses.
 * Throws InvalidKeyError when the result is all zero (a low-order u), as
 * RFC 7748 section 6.1 allows.
 */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  expectBytes(scalar, 32, 'x25519 scalar');
  expectBytes(u, 32, 'x25519 u');
  return guarded('x25519', () => nobleX25519.getSharedSecret(scalar, u));
}
