/**
 * HKDF-SHA256 (RFC 5869), the KDF of the HPKE suite (kdf_id 0x0001) and of
 * the protocol's key derivations. A thin, checked layer over the
 * implementation installed in this thread (symmetric-backend.ts: node:crypto
 * in Node processes) or else @noble/hashes.
 * @module
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { BadArgumentError, BadLengthError } from '../errors.ts';
import { installedSymmetric } from './symmetric-backend.ts';

/** Nh: the output size of SHA-256 and of Extract. */
const HASH_BYTES = 32;
/** RFC 5869 2.3: L <= 255 * HashLen. */
const MAX_EXPAND_BYTES = 255 * HASH_BYTES;

function bytesArg(value: unknown, what: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new BadArgumentError(`${what}: expected a Uint8Array`);
  return value;
}

/** HKDF-Extract(salt, ikm); an empty salt means HashLen zero bytes (RFC 5869 2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
  const given = bytesArg(salt, 'hkdfExtract salt');
  const input = bytesArg(ikm, 'hkdfExtract ikm');
  const hmacKey = given.length === 0 ? new Uint8Array(HASH_BYTES) : given;
  const native = installedSymmetric();
  return native ? native.hkdfExtract(hmacKey, input) : extract(sha256, input, hmacKey);
}

/** HKDF-Expand(prk, info, length); throws BadLengthError for length > 255 * 32 or a prk shorter than 32 bytes. */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > MAX_EXPAND_BYTES) {
    throw new BadLengthError(`hkdfExpand: length must be 0..${MAX_EXPAND_BYTES}, got ${length}`);
  }
  if (bytesArg(prk, 'hkdfExpand prk').length < HASH_BYTES) {
    throw new BadLengthError(`hkdfExpand: prk must be at least ${HASH_BYTES} bytes, got ${prk.length}`);
  }
  if (length === 0) return new Uint8Array(0);
  const infoBytes = bytesArg(info, 'hkdfExpand info');
  const native = installedSymmetric();
  return native ? native.hkdfExpand(prk, infoBytes, length) : expand(sha256, prk, infoBytes, length);
}

/** HKDF(ikm, salt, info, length) = Expand(Extract(salt, ikm), info, length). */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const prk = hkdfExtract(salt, ikm);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    prk.fill(0);
  }
}
