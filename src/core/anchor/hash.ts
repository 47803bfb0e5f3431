/**
 * Bitcoin's hash (SHA-256 applied twice) and its two byte orders: hashes are computed and serialized in
 * "internal" order, and shown (block ids, txids, explorers, Esplora) byte-reversed, the "display" order.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { fromHex, toHex } from '../bytes.ts';
import { AnchorError } from './errors.ts';

/** SHA-256(SHA-256(bytes)). */
export const sha256d = (bytes: Uint8Array): Uint8Array => sha256(sha256(bytes));

/** The display (byte-reversed) hex of a 32-byte hash in internal order. */
export const displayHex = (hash: Uint8Array): string => toHex(hash.slice().reverse());

/** The internal-order bytes of a 32-byte hash given in display hex; AnchorError 'malformed' otherwise. */
export function fromDisplayHex(text: unknown, what: string): Uint8Array {
  return hexBytes(text, what, 32).reverse();
}

/** Bytes of a hex string (of exactly `length` bytes when given); AnchorError 'malformed' otherwise. */
export function hexBytes(text: unknown, what: string, length?: number): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromHex(text, what);
  } catch {
    throw new AnchorError('malformed', `${what}: expected hexadecimal digits in pairs`);
  }
  if (length !== undefined && bytes.length !== length) {
    throw new AnchorError('malformed', `${what}: expected ${length} bytes, got ${bytes.length}`);
  }
  return bytes;
}
