/**
 * The X-Wing KEM (draft-connolly-cfrg-xwing-kem-06: ML-KEM-768 + X25519,
 * HPKE kem_id 0x647A) with the draft's sizes and a 32-byte seed as the
 * secret key (expanded with SHAKE-256 on every use, as the draft specifies).
 *
 * It runs on the core's KEM once createCore() has run in this thread (it
 * installs it with useCoreKem), and on @noble/post-quantum before that
 * (xwing-backends.ts says why both). The Kem interface is synchronous, so
 * the backend is chosen per call, never awaited.
 *
 * A holder that opens many envelopes with one seed can have it kept
 * expanded (keepExpanded, xwing-expanded.ts) instead of expanded per call.
 *
 * `x25519` is the very X25519 function the KEM's classical half runs,
 * exposed so the Wycheproof X25519 vectors test the code path envelopes
 * depend on.
 * @module
 */

import { expectBytes, randomBytes } from '../bytes.ts';
import { BadLengthError } from '../errors.ts';
import type { KemApi } from '../types.ts';
import { InvalidKeyError } from './errors.ts';
import type { Kem, XWingKeyPair } from './types.ts';
import { coreBackend, type KemBackend, nobleBackend } from './xwing-backends.ts';
import type { ExpandedXWingKey } from './xwing-expanded.ts';

export const XWING_ID = 0x647a;
export const XWING_SEED_BYTES = 32;
export const XWING_PUBLIC_KEY_BYTES = 1216;
export const XWING_ENC_BYTES = 1120;
const XWING_ESEED_BYTES = 64;
export const XWING_SHARED_SECRET_BYTES = 32;

let backend: KemBackend = nobleBackend;

/** Runs X-Wing and X25519 on `next` from now on (the benchmark switches between the two). */
export function useKemBackend(next: KemBackend): void {
  backend = next;
}

/** Runs X-Wing and X25519 on `kem` from now on (createCore calls this with its own). */
export function useCoreKem(kem: KemApi): void {
  useKemBackend(coreBackend(kem));
}

/** Which implementation runs now (for tests and the benchmark). */
export const kemBackendName = (): KemBackend['name'] => backend.name;

/**
 * Runs a core call, turning its refusals (a key failing FIPS 203's checks,
 * a low-order X25519 point) into InvalidKeyError.
 */
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
  const publicKey = guarded('xwing.keygen', () => backend.keygen(seed));
  return { secretKey: seed.slice(), publicKey };
}

function encap(publicKey: Uint8Array, eseed?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array } {
  expectBytes(publicKey, XWING_PUBLIC_KEY_BYTES, 'xwing.encap public key');
  if (eseed !== undefined) expectBytes(eseed, XWING_ESEED_BYTES, 'xwing.encap eseed');
  return guarded('xwing.encap', () => backend.encaps(publicKey, eseed ?? randomBytes(XWING_ESEED_BYTES)));
}

/** Seeds kept expanded (keepExpanded), by the very Uint8Array: decap finds its key without expanding it again. */
const expandedSeeds = new WeakMap<Uint8Array, ExpandedXWingKey>();

/**
 * Has decap, from now on, use `seed` (this very array) expanded once rather than expand it at every call: for a
 * holder that opens many envelopes with one key (the node's crypto workers). A no-op on a backend that cannot
 * (noble). The expanded secrets stay in memory until forgetExpanded(seed), which the holder must call before it
 * changes or wipes the seed's bytes.
 */
export function keepExpanded(seed: Uint8Array): void {
  expectBytes(seed, XWING_SEED_BYTES, 'xwing.keepExpanded seed');
  if (expandedSeeds.has(seed) || !backend.expand) return;
  const expand = backend.expand;
  expandedSeeds.set(
    seed,
    guarded('xwing.keepExpanded', () => expand(seed)),
  );
}

/** Wipes what keepExpanded kept for `seed`; decap expands it at every call again. */
export function forgetExpanded(seed: Uint8Array): void {
  expandedSeeds.get(seed)?.wipe();
  expandedSeeds.delete(seed);
}

function decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(enc, XWING_ENC_BYTES, 'xwing.decap enc');
  expectBytes(secretKey, XWING_SEED_BYTES, 'xwing.decap secret key');
  const expanded = expandedSeeds.get(secretKey);
  return guarded('xwing.decap', () => (expanded ? expanded.decaps(enc) : backend.decaps(enc, secretKey)));
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
  return guarded('x25519', () => backend.x25519(scalar, u));
}
