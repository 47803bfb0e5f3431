/**
 * An X-Wing secret key expanded once, for a holder that opens many envelopes with the same key (the node's crypto
 * workers). The draft's decapsulation expands the 32-byte seed every time: SHAKE-256, ML-KEM-768's key
 * generation and the X25519 public key pk_X, a third of its cost. Here that is done once
 * (draft-connolly-cfrg-xwing-kem-06, expandDecapsulationKey) and each decapsulation is the rest of the draft's
 * Decapsulate: ML-KEM-768 decapsulation with dk_M, X25519 with sk_X, and the combiner
 * SHA3-256(ss_M || ss_X || ct_X || pk_X || XWingLabel). Its results are the seed's, byte for byte (the tests
 * check it); the expanded secrets live until `wipe`.
 * @module
 */
import type { KemApi } from '../types.ts';

/** The draft's XWingLabel, the six ASCII bytes \.//^\ */
const XWING_LABEL = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);
/** The X25519 part of an X-Wing ciphertext and of its public key (RFC 7748). */
const X25519_BYTES = 32;
/** SHAKE-256 of the seed: ML-KEM's d and z, then the X25519 secret key. */
const EXPANDED_BYTES = 96;

/** A decapsulation key kept expanded; `decaps` takes an X-Wing ciphertext whose length the caller checked. */
export interface ExpandedXWingKey {
  decaps(enc: Uint8Array): Uint8Array;
  /** Zeroes the expanded secrets; `decaps` refuses from then on. */
  wipe(): void;
}

/** The X-Wing shared secret from its two halves (the draft's Combiner); wipes its own copy of them. */
function combine(kem: KemApi, ssM: Uint8Array, ssX: Uint8Array, ctX: Uint8Array, pkX: Uint8Array): Uint8Array {
  const input = new Uint8Array(4 * X25519_BYTES + XWING_LABEL.length);
  input.set(ssM, 0);
  input.set(ssX, X25519_BYTES);
  input.set(ctX, 2 * X25519_BYTES);
  input.set(pkX, 3 * X25519_BYTES);
  input.set(XWING_LABEL, 4 * X25519_BYTES);
  try {
    return kem.sha3_256(input);
  } finally {
    input.fill(0);
  }
}

/** Expands `seed` (32 bytes, checked by the caller) on `kem`; the seed itself is not kept. */
export function expandXWingKey(kem: KemApi, seed: Uint8Array): ExpandedXWingKey {
  const expanded = kem.shake256(seed, EXPANDED_BYTES);
  const skX = expanded.slice(2 * X25519_BYTES);
  let dkM: Uint8Array;
  try {
    dkM = kem.mlkem768.keygen(expanded.subarray(0, 32), expanded.subarray(32, 64)).decapsulationKey;
  } finally {
    expanded.fill(0);
  }
  const pkX = kem.x25519Base(skX);
  const ctMBytes = kem.sizes.mlkemCiphertext;
  let wiped = false;
  return Object.freeze({
    decaps(enc: Uint8Array): Uint8Array {
      if (wiped) throw new Error('xwing: this expanded key was wiped');
      const ctX = enc.subarray(ctMBytes);
      // X25519 first: a low-order ct_X is refused before any ML-KEM work, as the core's decaps refuses it.
      const ssX = kem.x25519(skX, ctX);
      let ssM: Uint8Array | undefined;
      try {
        ssM = kem.mlkem768.decaps(enc.subarray(0, ctMBytes), dkM);
        return combine(kem, ssM, ssX, ctX, pkX);
      } finally {
        ssM?.fill(0);
        ssX.fill(0);
      }
    },
    wipe(): void {
      wiped = true;
      dkM.fill(0);
      skX.fill(0);
    },
  });
}
