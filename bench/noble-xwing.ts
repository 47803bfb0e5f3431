/**
 * The protocol's X-Wing module as it was before the core had a KEM: the same exports as
 * src/core/crypto/xwing.ts over @noble/post-quantum's ml_kem768_x25519. Only the "before" envelope rows of
 * `npm run bench` load it, in the `?noble` copy of the protocol where noble-xwing-hooks.ts puts it in place
 * of xwing.ts.
 * @module
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { expectBytes, randomBytes } from '../src/core/bytes.ts';
import type { Kem, XWingKeyPair } from '../src/core/crypto/types.ts';

/** Tells bench/envelope-kem.ts that the hook put this module in place. */
export const IMPLEMENTATION = 'noble';
export const XWING_ID = 0x647a;
export const XWING_SEED_BYTES = 32;
export const XWING_PUBLIC_KEY_BYTES = 1216;
export const XWING_ENC_BYTES = 1120;
export const XWING_ESEED_BYTES = 64;
export const XWING_SHARED_SECRET_BYTES = 32;

function keygen(seed: Uint8Array = randomBytes(XWING_SEED_BYTES)): XWingKeyPair {
  expectBytes(seed, XWING_SEED_BYTES, 'xwing.keygen seed');
  return { secretKey: seed.slice(), publicKey: ml_kem768_x25519.keygen(seed).publicKey };
}

function encap(publicKey: Uint8Array, eseed?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  expectBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'xwing.encap public key');
  const r = ml_kem768_x25519.encapsulate(publicKey, eseed ?? randomBytes(XWING_ESEED_BYTES));
  return { sharedSecret: r.sharedSecret, enc: r.cipherText };
}

function decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(enc, XWING_ENC_BYTES, 'xwing.decap enc');
  expectBytes(secretKey, XWING_SEED_BYTES, 'xwing.decap secret key');
  return ml_kem768_x25519.decapsulate(enc, secretKey);
}

export const xwing: Kem = Object.freeze({
  id: XWING_ID,
  publicKeyBytes: XWING_PUBLIC_KEY_BYTES,
  encBytes: XWING_ENC_BYTES,
  sharedSecretBytes: XWING_SHARED_SECRET_BYTES,
  keygen,
  encap,
  decap,
});

export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  return nobleX25519.getSharedSecret(scalar, u);
}
