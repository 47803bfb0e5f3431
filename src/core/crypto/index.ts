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
export type * from './types.ts';
export { DecryptionError, InvalidKeyError } from './errors.ts';
export { aesGcm, aes256gcm, NONCE_BYTES, TAG_BYTES } from './aead.ts';
export { hkdf } from './kdf.ts';
export { xwing, x25519, XWING_ID, XWING_SEED_BYTES, XWING_PUBLIC_KEY_BYTES, XWING_ENC_BYTES, XWING_SHARED_SECRET_BYTES } from './xwing.ts';
export { commitKey, CONTENT_KEY_SALT, CONTENT_AEAD_KEY_INFO, KEY_COMMITMENT_INFO, KEY_COMMITMENT_BYTES, type CommittedKey } from './key-commitment.ts';
export { hpke, keyScheduleBase, suiteId, KDF_HKDF_SHA256, AEAD_AES_256_GCM } from './hpke.ts';
