/**
 * The one set of byte helpers, for every side (core, worker, app, node):
 * strict padded base64 (RFC 4648 section 4, as JSON carries bytes), unpadded
 * base64url (section 5, for text people copy and QR codes), hex, UTF-8,
 * concatenation, constant-time comparison, wiping, I2OSP, randomness and a
 * printable rendering of secrets. No Buffer: this runs in browsers too.
 *
 * Decoders are strict so that one value has exactly one text: @scure/base
 * refuses missing or excess padding, whitespace and non-zero unused bits.
 * A bad text throws BadEncodingError naming the field (`what`); boundaries
 * that speak HTTP wrap it in their own 'malformed' error.
 * @module
 */

import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64, base64urlnopad } from '@scure/base';
import { BadEncodingError, BadLengthError } from './errors.ts';

/** Standard padded base64 of `bytes`. */
export const toBase64 = (bytes: Uint8Array): string => base64.encode(bytes);

/** Strict standard base64 (padded, canonical) to bytes; throws BadEncodingError naming `what` otherwise. */
export function fromBase64(text: unknown, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw new BadEncodingError(`${what}: expected standard base64`);
  return decodeWith(() => base64.decode(text), what, 'standard base64');
}

/** Unpadded base64url of `bytes` (RFC 4648 section 5): safe in URLs, QR codes and copied text. */
export const toBase64Url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes);

/** Strict unpadded base64url (canonical: unused low bits zero) to bytes; throws BadEncodingError otherwise. */
export function fromBase64Url(text: unknown, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw new BadEncodingError(`${what}: expected unpadded base64url`);
  return decodeWith(() => base64urlnopad.decode(text), what, 'unpadded base64url');
}

/** Lowercase hex of `bytes`. */
export const toHex = (bytes: Uint8Array): string => bytesToHex(bytes);

/** Hex digits in pairs (either case) to bytes; throws BadEncodingError naming `what` otherwise. */
export function fromHex(text: unknown, what = 'value'): Uint8Array {
  if (typeof text !== 'string') throw new BadEncodingError(`${what}: expected hexadecimal digits in pairs`);
  return decodeWith(() => hexToBytes(text), what, 'hexadecimal digits in pairs');
}

// The libraries' messages quote the offending character; ours name the field and the expected form only.
function decodeWith(decode: () => Uint8Array, what: string, expected: string): Uint8Array {
  try {
    return decode();
  } catch {
    throw new BadEncodingError(`${what}: expected ${expected}`);
  }
}

/** The UTF-8 encoding of `text`. */
export const utf8 = (text: string): Uint8Array => utf8ToBytes(text);

/** The text of `bytes` when they are valid UTF-8 without control characters (newlines and tabs allowed). */
export function printableText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return /^[^\p{Cc}]*$/u.test(text.replace(/[\n\r\t]/g, '')) ? text : undefined;
}

/** a || b || ... */
export const concat = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(...parts);

/** Equality that reads every byte whatever the contents (for tags, keys and other secrets). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Overwrites buffers that held secrets (best effort: JavaScript may have copied them). */
export function wipe(...arrays: readonly (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}

/** I2OSP(n, width) of RFC 8017: big-endian, `width` bytes (n < 2^53). */
export function i2osp(n: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = width - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** `length` bytes from the platform CSPRNG (WebCrypto in browsers and in Node). */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  return out;
}

/** Throws BadLengthError unless `bytes` is a Uint8Array of exactly `length` bytes. */
export function expectBytes(bytes: unknown, length: number, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new BadLengthError(`${what}: expected a Uint8Array`);
  if (bytes.length !== length) throw new BadLengthError(`${what}: expected ${length} bytes, got ${bytes.length}`);
}
