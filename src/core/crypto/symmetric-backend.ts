/**
 * Where the core's symmetric primitives run: SHA-256, HKDF-SHA256's Extract and Expand, and AES-GCM. With nothing
 * installed, on @noble/hashes and @noble/ciphers, which run anywhere, the browser included; a Node process (the
 * node's event loop, its crypto workers, the CLI) installs OpenSSL's through node:crypto
 * (src/node/crypto-native.ts), native, with AES-NI and the SHA extensions, and several times faster for the sizes an
 * order hashes and seals. The core cannot import node:crypto (the app's bundle must not), hence this registry; and
 * it imports no more of noble than SHA-256, so that a page chunk which only names documents by CID gains no AES.
 * Only the raw operations are here: aead.ts and kdf.ts keep every check (types, lengths, nonce size) and their noble
 * fallback, and turn a failed open into DecryptionError, so both implementations answer the same inputs with the same
 * results and errors (test/node/crypto-native.test.ts runs the published vectors through each).
 * @module
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';

export interface SymmetricBackend {
  readonly name: string;
  sha256(bytes: Uint8Array): Uint8Array;
  /** HKDF-Extract with HMAC-SHA256 as is: the caller has replaced an empty salt already. */
  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** HKDF-Expand with HMAC-SHA256 as is: the caller has checked 0 < length <= 255 * 32. */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** AES-GCM (key of 16, 24 or 32 bytes, 12-byte nonce): ciphertext || 16-byte tag. */
  gcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext of ciphertext || tag; throws when the tag does not verify, and then returns nothing of it. */
  gcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
}

let installed: SymmetricBackend | undefined;

/** Runs the core's SHA-256, HKDF and AES-GCM on `next` from now on in this thread; undefined: on noble again. */
export function useSymmetricBackend(next: SymmetricBackend | undefined): void {
  installed = next;
}

/** The implementation installed in this thread, if any (aead.ts and kdf.ts ask per operation, never keep it). */
export const installedSymmetric = (): SymmetricBackend | undefined => installed;

/** Which implementation runs now (for tests). */
export const symmetricBackendName = (): string => installed?.name ?? 'noble';

/** SHA-256 of `bytes` on the installed implementation (content ids, the order path's hashes). */
export const sha256 = (bytes: Uint8Array): Uint8Array => (installed ? installed.sha256(bytes) : nobleSha256(bytes));
