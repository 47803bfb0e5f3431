/**
 * Key commitment for the content key of a sealed envelope (envelope version 2).
 *
 * AES-GCM does not commit to its key: one ciphertext can carry a valid tag
 * under two chosen keys (the "invisible salamanders" of Dodis, Grubbs,
 * Ristenpart and Woodage, CRYPTO 2018; Len, Grubbs and Ristenpart,
 * "Partitioning Oracle Attacks", USENIX Security 2021). A sealed body wraps
 * its content key once per recipient, so a sender could wrap K1 for one
 * recipient and K2 for another and have one signed envelope say two things.
 *
 * From the 32-byte content key K, HKDF-SHA256 derives, under different
 * labels, the AES-256-GCM key of the content and a 32-byte commitment that
 * travels in the signed body. A recipient recomputes the commitment from the
 * K it unwrapped and compares it, in constant time, before decrypting. Two
 * keys with one commitment would be a SHA-256 (HMAC) collision; and one AES
 * key opens one (nonce, aad, ciphertext) to at most one plaintext, so every
 * recipient that opens the body reads the same content. The committing
 * suites of the AWS Encryption SDK have the same shape (a derived data key
 * and a derived commitment stored beside the ciphertext).
 * Specified in docs/protocol.md#key-commitment.
 * @module
 */
import { equalBytes, expectBytes, wipe } from '../bytes.ts';
import { hkdfExpand, hkdfExtract } from './kdf.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

/** HKDF salt of the derivations from a content key. */
export const CONTENT_KEY_SALT = ascii('dta/envelope/v2 content key');
/** HKDF info of the AES-256-GCM key of the content. */
export const CONTENT_AEAD_KEY_INFO = ascii('aes-256-gcm key');
/** HKDF info of the key commitment. */
export const KEY_COMMITMENT_INFO = ascii('key commitment');
export const KEY_COMMITMENT_BYTES = 32;
const CONTENT_KEY_BYTES = 32;

/** What a content key stands for: the key the content is encrypted under, and its public commitment. */
export interface CommittedKey {
  readonly aeadKey: Uint8Array; // 32, secret: wipe after use
  readonly commitment: Uint8Array; // 32, public
}

/**
 * PRK = HKDF-Extract(salt = "dta/envelope/v2 content key", IKM = K);
 * aeadKey = HKDF-Expand(PRK, "aes-256-gcm key", 32); commitment = HKDF-Expand(PRK, "key commitment", 32).
 */
export function commitKey(contentKey: Uint8Array): CommittedKey {
  expectBytes(contentKey, CONTENT_KEY_BYTES, 'commitKey content key');
  const prk = hkdfExtract(CONTENT_KEY_SALT, contentKey);
  try {
    return {
      aeadKey: hkdfExpand(prk, CONTENT_AEAD_KEY_INFO, CONTENT_KEY_BYTES),
      commitment: hkdfExpand(prk, KEY_COMMITMENT_INFO, KEY_COMMITMENT_BYTES),
    };
  } finally {
    wipe(prk);
  }
}

/**
 * The AES key of `contentKey` when its commitment equals `commitment`, else null (nothing derived is kept).
 * The comparison takes the same time wherever the bytes differ.
 */
export function openCommittedKey(contentKey: Uint8Array, commitment: Uint8Array): Uint8Array | null {
  expectBytes(commitment, KEY_COMMITMENT_BYTES, 'openCommittedKey commitment');
  const derived = commitKey(contentKey);
  if (equalBytes(derived.commitment, commitment)) return derived.aeadKey;
  wipe(derived.aeadKey);
  return null;
}
