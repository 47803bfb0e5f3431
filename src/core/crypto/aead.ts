/**
 * AES-GCM (NIST SP 800-38D) with 96-bit nonces and 128-bit tags, on the
 * implementation installed in this thread (symmetric-backend.ts: node:crypto
 * in Node processes) or else @noble/ciphers; the checks are the same for both.
 * The protocol uses AES-256-GCM only (`aes256gcm`, HPKE
 * aead_id 0x0002); `aesGcm(keyBytes)` builds the same code path for the
 * other AES key sizes so the published vectors of every size exercise it.
 * Nonces other than 96 bits are refused: GCM hashes them into the counter
 * block, a path HPKE never takes.
 * @module
 */
import { gcm } from '@noble/ciphers/aes.js';
import { BadArgumentError, BadLengthError } from '../errors.ts';
import { DecryptionError } from './errors.ts';
import { installedSymmetric } from './symmetric-backend.ts';
import type { Aead } from './types.ts';

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

/** An Aead for AES-GCM with keys of `keyBytes` (16, 24 or 32) bytes. */
export function aesGcm(keyBytes: 16 | 24 | 32): Aead & { readonly keyBytes: number } {
  const check = (key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, data: Uint8Array, where: string): void => {
    for (const [v, what] of [
      [key, 'key'],
      [nonce, 'nonce'],
      [aad, 'aad'],
      [data, 'data'],
    ] as const) {
      if (!(v instanceof Uint8Array)) throw new BadArgumentError(`${where}: ${what} must be a Uint8Array`);
    }
    if (key.length !== keyBytes) throw new BadLengthError(`${where}: key must be ${keyBytes} bytes, got ${key.length}`);
    if (nonce.length !== NONCE_BYTES) {
      throw new BadLengthError(`${where}: nonce must be ${NONCE_BYTES} bytes, got ${nonce.length}`);
    }
  };
  return Object.freeze({
    keyBytes,
    seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
      check(key, nonce, aad, plaintext, 'aead.seal');
      const native = installedSymmetric();
      return native ? native.gcmSeal(key, nonce, aad, plaintext) : gcm(key, nonce, aad).encrypt(plaintext);
    },
    open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Uint8Array {
      check(key, nonce, aad, ciphertext, 'aead.open');
      if (ciphertext.length < TAG_BYTES)
        throw new DecryptionError(`aead.open: ciphertext shorter than the tag (${ciphertext.length} bytes)`);
      try {
        const native = installedSymmetric();
        return native ? native.gcmOpen(key, nonce, aad, ciphertext) : gcm(key, nonce, aad).decrypt(ciphertext);
      } catch {
        // The only failure left once the lengths are right is a tag that does not verify.
        throw new DecryptionError('aead.open: the authentication tag does not verify');
      }
    },
  });
}

/** AES-256-GCM: the AEAD of envelopes, HPKE and backups. */
export const aes256gcm = aesGcm(32);
