/**
 * The core's SHA-256, HKDF-SHA256 and AES-GCM on node:crypto (OpenSSL: AES-NI, the SHA extensions, a
 * constant-time tag comparison), for the node's threads and the CLI; the browser keeps @noble's
 * (src/core/crypto/symmetric-backend.ts says why both). use-native-crypto.ts installs it. Every result is a
 * plain Uint8Array, never a Buffer: a Buffer's `slice` shares its memory, and callers that copy with `slice` before
 * they wipe or change bytes must get a copy.
 * @module
 */
import { createCipheriv, createDecipheriv, createHmac, hash } from 'node:crypto';
import { DecryptionError } from '../core/crypto/errors.ts';
import type { SymmetricBackend } from '../core/crypto/symmetric-backend.ts';
import { BadLengthError } from '../core/errors.ts';

const HASH_BYTES = 32;
const TAG_BYTES = 16;
const GCM_BY_KEY_BYTES: Readonly<Record<number, 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm'>> = {
  16: 'aes-128-gcm',
  24: 'aes-192-gcm',
  32: 'aes-256-gcm',
};

/**
 * The bytes of a Buffer as a plain Uint8Array: a view when the Buffer owns its memory (OpenSSL's outputs do), else
 * a copy, and then the Buffer is wiped, since a caller that wipes the result (a key, a plaintext) cannot reach it.
 */
function plain(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length) return new Uint8Array(buffer.buffer);
  const copy = new Uint8Array(buffer);
  buffer.fill(0);
  return copy;
}

function gcmName(key: Uint8Array): 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' {
  const name = GCM_BY_KEY_BYTES[key.length];
  if (!name) throw new BadLengthError(`aead: an AES key is 16, 24 or 32 bytes, got ${key.length}`);
  return name;
}

function hmacSha256(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** RFC 5869 2.3: T(i) = HMAC(prk, T(i-1) || info || i), the first `length` bytes of T(1) || T(2) || ... */
function expand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const okm = new Uint8Array(length);
  const counter = new Uint8Array(1);
  let previous: Uint8Array = new Uint8Array(0);
  for (let at = 0; at < length; at += HASH_BYTES) {
    counter[0] = at / HASH_BYTES + 1;
    const block = hmacSha256(prk, previous, info, counter);
    okm.set(block.subarray(0, Math.min(HASH_BYTES, length - at)), at);
    previous.fill(0); // blocks are key material: none outlives its copy in okm
    previous = block;
  }
  previous.fill(0);
  return okm;
}

function gcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const cipher = createCipheriv(gcmName(key), key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const body = cipher.update(plaintext);
  const rest = cipher.final(); // empty for GCM, a stream mode
  const sealed = new Uint8Array(body.length + rest.length + TAG_BYTES);
  sealed.set(body);
  sealed.set(rest, body.length);
  sealed.set(cipher.getAuthTag(), body.length + rest.length);
  return sealed;
}

function gcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  const end = sealed.length - TAG_BYTES;
  if (end < 0) throw new DecryptionError(`aead.open: ciphertext shorter than the tag (${sealed.length} bytes)`);
  const decipher = createDecipheriv(gcmName(key), key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(end));
  const plaintext = decipher.update(sealed.subarray(0, end));
  try {
    decipher.final(); // checks the tag
  } catch {
    plaintext.fill(0); // decrypted before the tag was checked: it must not survive a forgery
    throw new DecryptionError('aead.open: the authentication tag does not verify');
  }
  return plain(plaintext);
}

export const nodeSymmetric: SymmetricBackend = Object.freeze({
  name: 'node',
  sha256: (bytes: Uint8Array) => plain(hash('sha256', bytes, 'buffer')),
  hkdfExtract: (salt: Uint8Array, ikm: Uint8Array) => plain(hmacSha256(salt, ikm)),
  hkdfExpand: expand,
  gcmSeal,
  gcmOpen,
});
