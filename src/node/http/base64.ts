/**
 * Standard padded base64 at the HTTP edge, on Node's native codec: an order's request and reply each carry a
 * few kB of envelope as base64, which @scure/base (src/core/bytes.ts, in pure JS for browsers too) takes ~90 us
 * to encode or decode and Buffer ~4 us. Decoding is as strict as the core's: Buffer's decoder is lenient
 * (whitespace, missing padding, non-zero unused bits, the URL alphabet), so a text is accepted only when it is
 * exactly the encoding of what it decodes to — one value, one text.
 * @module
 */
import { ApiError } from './errors.ts';

/** Standard padded base64 of `bytes` (the same text as the core's toBase64). */
export function base64Of(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Canonical standard base64 to bytes; ApiError 'malformed' naming `what` otherwise (as the core's fromBase64). */
export function bytesOfBase64(text: unknown, what: string): Uint8Array {
  if (typeof text === 'string') {
    const decoded = Buffer.from(text, 'base64');
    // A copy of its own: a small Buffer is a view of a shared pool, which a worker message would copy whole.
    if (decoded.toString('base64') === text) return new Uint8Array(decoded);
  }
  throw new ApiError('malformed', `${what}: expected standard base64`);
}
