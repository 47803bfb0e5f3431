/**
 * Names and IDs of signed-note keys (C2SP signed-note): a key is known by
 * the pair (name, key ID), the ID being the first four bytes, big-endian, of
 * SHA-256(name ‖ "\n" ‖ signature type ‖ public key). The type byte keeps a
 * log's Ed25519 key (0x01) and the same key used for cosignatures (0x04)
 * apart: one name, two IDs, and neither's signature lines match the other.
 * Also the verifier-key text that carries a public key, and the checks of
 * Ed25519 keys at this boundary.
 * @module
 */

import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat, toBase64, utf8 } from '../bytes.ts';
import { TlogError } from './errors.ts';

const ED25519_PUBLIC_KEY_SIZE = 32;
const ED25519_SECRET_KEY_SIZE = 32;

/** Signature type of plain Ed25519 note signatures. */
export const ALG_ED25519 = 0x01;
/** Signature type of timestamped Ed25519 witness cosignatures (C2SP tlog-cosignature v1). */
export const ALG_COSIGNATURE_V1 = 0x04;

/** SHA-256(name ‖ 0x0A ‖ alg ‖ publicKey)[:4] as an unsigned 32-bit number. */
export function keyIdOf(name: string, alg: number, publicKey: Uint8Array): number {
  const hash = sha256(concat(utf8(`${name}\n`), Uint8Array.of(alg), publicKey));
  return new DataView(hash.buffer, hash.byteOffset).getUint32(0, false);
}

/** A key name is non-empty, has no Unicode space (Go's unicode.IsSpace) and no '+' (the `name+id+key` separator). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\t\n\v\f\r\u0085\p{Z}+]/u.test(name) && !hasControl(name) && isWellFormed(name);
}

/** Throws TlogError('malformed') unless `name` is a valid key name. */
export function checkKeyName(name: string): void {
  if (!isKeyName(name))
    throw new TlogError('malformed', 'key name: empty, or holds a space, a + or a control character');
}

/** True when `text` holds an ASCII control character (below U+0020) other than newline. */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x0a) return true;
  }
  return false;
}

/** True when `text` has no lone UTF-16 surrogate, so it encodes to valid UTF-8. */
export function isWellFormed(text: string): boolean {
  return !/\p{Surrogate}/u.test(text);
}

/** Verifier key text for type `alg`: `name+<8 hex digits of the key ID>+base64(alg ‖ publicKey)`. */
export function verifierKeyText(name: string, alg: number, publicKey: Uint8Array): string {
  checkKeyName(name);
  const id = keyIdOf(name, alg, publicKey).toString(16).padStart(8, '0');
  return `${name}+${id}+${toBase64(concat(Uint8Array.of(alg), publicKey))}`;
}

/** A copy of a 32-byte Ed25519 secret key (RFC 8032 seed); the caller may wipe its own at once. */
export function ed25519SecretKey(secretKey: Uint8Array): Uint8Array {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== ED25519_SECRET_KEY_SIZE) {
    throw new TlogError('malformed', `Ed25519 secret key: expected ${ED25519_SECRET_KEY_SIZE} bytes`);
  }
  return secretKey.slice();
}

/** Throws TlogError('malformed') unless `publicKey` is the 32-byte encoding of a point of Ed25519. */
export function checkEd25519PublicKey(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== ED25519_PUBLIC_KEY_SIZE || !ed25519.utils.isValidPublicKey(publicKey, false)) {
    throw new TlogError('malformed', `Ed25519 public key: expected a valid ${ED25519_PUBLIC_KEY_SIZE}-byte point`);
  }
  return publicKey;
}
