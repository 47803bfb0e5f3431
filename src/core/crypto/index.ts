/**
 * Envelope cryptography shared by the browser and the node: the X-Wing KEM,
 * HPKE base mode over it, AES-256-GCM and HKDF-SHA256.
 *
 * @example
 * ```ts
 * import { hpke, xwing } from './src/core/crypto/index.ts';
 * const { secretKey, publicKey } = xwing.keygen();
 * const info = new TextEncoder().encode('example'), aad = new Uint8Array(0);
 * const { enc, ciphertext } = hpke.seal(publicKey, info, aad, new TextEncoder().encode('hi'));
 * hpke.open(enc, secretKey, info, aad, ciphertext); // 'hi'
 * ```
 * @module
 */

export { aes256gcm, aesGcm, NONCE_BYTES, TAG_BYTES } from './aead.ts';
export { DecryptionError, InvalidKeyError } from './errors.ts';
export { AEAD_AES_256_GCM, hpke, KDF_HKDF_SHA256, keyScheduleBase, suiteId } from './hpke.ts';
export { hkdf } from './kdf.ts';
export {
  CONTENT_AEAD_KEY_INFO,
  CONTENT_KEY_SALT,
  type CommittedKey,
  commitKey,
  KEY_COMMITMENT_BYTES,
  KEY_COMMITMENT_INFO,
} from './key-commitment.ts';
export type * from './types.ts';
export {
  XWING_ENC_BYTES,
  XWING_ID,
  XWING_PUBLIC_KEY_BYTES,
  XWING_SEED_BYTES,
  XWING_SHARED_SECRET_BYTES,
  x25519,
  xwing,
} from './xwing.ts';
