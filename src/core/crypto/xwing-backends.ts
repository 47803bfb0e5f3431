/**
 * The two implementations X-Wing can run on, behind one small interface: the core's (wasm/dta.wasm: xwing.c,
 * mlkem.c, x25519.c, keccak.c), about seven times faster, and @noble/post-quantum's, which needs no
 * WebAssembly. xwing.ts uses the core's once a core exists in the same thread (createCore installs it) and
 * noble's before that, so a page that only seals to a node's public key never compiles the module for it: the
 * app's page does exactly that, while its worker, the node and the CLI run the core. The two are checked against
 * each other by the differential tests (test/cases/kem.ts) and against the published vectors.
 * @module
 */
import { x25519 as nobleX25519 } from '@noble/curves/ed25519.js';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import type { KemApi } from '../types.ts';
import { type ExpandedXWingKey, expandXWingKey } from './xwing-expanded.ts';

export interface KemBackend {
  readonly name: 'core' | 'noble';
  /** The public key of a 32-byte seed. */
  keygen(seed: Uint8Array): Uint8Array;
  encaps(publicKey: Uint8Array, eseed: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array };
  decaps(enc: Uint8Array, seed: Uint8Array): Uint8Array;
  /** X25519(scalar, u); throws on an all-zero result. */
  x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array;
  /** The seed's decapsulation key expanded once (xwing-expanded.ts); absent: every decaps expands the seed. */
  readonly expand?: (seed: Uint8Array) => ExpandedXWingKey;
}

export const nobleBackend: KemBackend = Object.freeze({
  name: 'noble',
  keygen: (seed: Uint8Array) => ml_kem768_x25519.keygen(seed).publicKey,
  encaps: (publicKey: Uint8Array, eseed: Uint8Array) => {
    const r = ml_kem768_x25519.encapsulate(publicKey, eseed);
    return { sharedSecret: r.sharedSecret, enc: r.cipherText };
  },
  decaps: (enc: Uint8Array, seed: Uint8Array) => ml_kem768_x25519.decapsulate(enc, seed),
  x25519: (scalar: Uint8Array, u: Uint8Array) => nobleX25519.getSharedSecret(scalar, u),
});

/** The core's KEM as a backend. */
export function coreBackend(kem: KemApi): KemBackend {
  return Object.freeze({
    name: 'core',
    keygen: (seed: Uint8Array) => kem.xwing.keygen(seed),
    encaps: (publicKey: Uint8Array, eseed: Uint8Array) => kem.xwing.encaps(publicKey, eseed),
    decaps: (enc: Uint8Array, seed: Uint8Array) => kem.xwing.decaps(enc, seed),
    x25519: (scalar: Uint8Array, u: Uint8Array) => kem.x25519(scalar, u),
    expand: (seed: Uint8Array) => expandXWingKey(kem, seed),
  });
}
