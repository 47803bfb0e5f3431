/**
 * The X-Wing KEM (draft-connolly-cfrg-xwing-kem-06: ML-KEM-768 + X25519,
 * HPKE kem_id 0x647A) from the core (wasm/dta.wasm: mlkem.c, x25519.c,
 * keccak.c, xwing.c), with the draft's sizes and a 32-byte seed as the
 * secret key (expanded with SHAKE-256 on every use, as the draft specifies).
 *
 * The module loads its own instance of the core once, at import (top-level
 * await), because the Kem interface is synchronous. The core's BLS
 * self-test is not run for it: the KEM's known answers are its tests
 * (test/protocol/crypto-vectors.test.ts, test/core/kem-vectors.test.ts).
 * @noble/post-quantum stays as the differential reference in the tests.
 *
 * `x25519` is the very X25519 function the KEM's classical half runs,
 * exposed so the Wycheproof X25519 vectors test the code path envelopes
 * depend on.
 * @module
 */

import { expectBytes, randomBytes } from '../bytes.ts';
import { BadLengthError, DtaError } from '../errors.ts';
import { createCore } from '../index.ts';
import { InvalidKeyError } from './errors.ts';
import type { Kem, XWingKeyPair } from './types.ts';

export const XWING_ID = 0x647a;
export const XWING_SEED_BYTES = 32;
export const XWING_PUBLIC_KEY_BYTES = 1216;
export const XWING_ENC_BYTES = 1120;
const XWING_ESEED_BYTES = 64;
export const XWING_SHARED_SECRET_BYTES = 32;

const { kem } = await createCore({ selfTest: false });

/**
 * Runs a core call, turning its refusals (a key failing FIPS 203's checks,
 * a low-order X25519 point) into InvalidKeyError.
 */
function guarded<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof BadLengthError || !(e instanceof DtaError)) throw e;
    throw new InvalidKeyError(`${where}: the KEM refused its input (${e.message})`);
  }
}

function keygen(seed: Uint8Array = randomBytes(XWING_SEED_BYTES)): XWingKeyPair {
  expectBytes(seed, XWING_SEED_BYTES, 'xwing.keygen seed');
  const publicKey = guarded('xwing.keygen', () => kem.xwing.keygen(seed));
  return { secretKey: seed.slice(), publicKey };
}

function encap(publicKey: Uint8Array, eseed?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  expectBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'xwing.encap public key');
  if (eseed !== undefined) expectBytes(eseed, XWING_ESEED_BYTES, 'xwing.encap eseed');
  return guarded('xwing.encap', () => kem.xwing.encaps(publicKey, eseed ?? randomBytes(XWING_ESEED_BYTES)));
}

function decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(enc, XWING_ENC_BYTES, 'xwing.decap enc');
  expectBytes(secretKey, XWING_SEED_BYTES, 'xwing.decap secret key');
  return guarded('xwing.decap', () => kem.xwing.decaps(enc, secretKey));
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
  return guarded('x25519', () => kem.x25519(scalar, u));
}
