/**
 * Interfaces of the envelope cryptography: the X-Wing KEM, HPKE (RFC 9180)
 * base mode over it, and AES-256-GCM. The implementations live beside this
 * file (xwing.ts, hpke.ts, aead.ts); callers depend on these shapes only.
 *
 * Suite (docs/protocol.md#sealing): HPKE base mode, KEM X-Wing
 * (ML-KEM-768 + X25519, kem_id 0x647A), KDF HKDF-SHA256 (0x0001), AEAD
 * AES-256-GCM (0x0002).
 * @module
 */

/** An X-Wing key pair; the secret key is the 32-byte seed of draft-connolly-cfrg-xwing-kem. */
export interface XWingKeyPair {
  readonly secretKey: Uint8Array; // 32
  readonly publicKey: Uint8Array; // 1216
}

export interface Kem {
  readonly id: number; // 0x647a
  readonly publicKeyBytes: number; // 1216
  readonly encBytes: number; // 1120
  readonly sharedSecretBytes: number; // 32
  keygen(seed?: Uint8Array): XWingKeyPair;
  /** Encapsulate to pk; `eseed` (64 bytes) only for known-answer tests. */
  encap(publicKey: Uint8Array, eseed?: Uint8Array): { sharedSecret: Uint8Array; enc: Uint8Array };
  decap(enc: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

/** HPKE base mode, single shot (RFC 9180 6.1). */
export interface Hpke {
  readonly suiteId: Uint8Array; // "HPKE" || kem_id || kdf_id || aead_id
  seal(
    recipientPublicKey: Uint8Array,
    info: Uint8Array,
    aad: Uint8Array,
    plaintext: Uint8Array,
    eseed?: Uint8Array,
  ): { enc: Uint8Array; ciphertext: Uint8Array };
  /** Throws DecryptionError when the tag does not verify. */
  open(
    enc: Uint8Array,
    recipientSecretKey: Uint8Array,
    info: Uint8Array,
    aad: Uint8Array,
    ciphertext: Uint8Array,
  ): Uint8Array;
}

/** AES-256-GCM with 96-bit nonces and 128-bit tags. */
export interface Aead {
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** Throws DecryptionError when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array;
}
