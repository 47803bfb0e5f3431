/**
 * Byte helpers for the browser side of the app: standard base64 (RFC 4648
 * section 4, padded, as the node's JSON carries it), unpadded base64url
 * (section 5, for text people copy and QR codes), hex, UTF-8 and
 * printable renderings of secrets. No Buffer: this runs in browsers.
 * @module
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Map([...B64].map((c, i) => [c, i]));
const B64_SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard padded base64 of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? B64[n & 63]! : '=';
  }
  return out;
}

/** Strict standard base64 (padded, canonical) to bytes; throws TypeError naming `what` otherwise. */
export function fromBase64(text: string, what = 'value'): Uint8Array {
  if (typeof text !== 'string' || !B64_SHAPE.test(text)) throw new TypeError(`${what}: expected standard base64`);
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) n = (n << 6) | (B64_INDEX.get(text[i + j]!) ?? 0);
    for (const shift of [16, 8, 0]) if (at < out.length) out[at++] = (n >> shift) & 0xff;
  }
  if (toBase64(out) !== text) throw new TypeError(`${what}: non-canonical base64`);
  return out;
}

/** Unpadded base64url of `bytes` (RFC 4648 section 5): safe in URLs, QR codes and copied text. */
export const toBase64Url = (bytes: Uint8Array): string =>
  toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Strict unpadded base64url to bytes (canonical: unused low bits zero); undefined when it is not. */
export function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    return fromBase64(standard);
  } catch {
    return undefined;
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(text: string, what = 'value'): Uint8Array {
  const clean = text.trim().toLowerCase();
  if (!/^(?:[0-9a-f]{2})*$/.test(clean)) throw new TypeError(`${what}: expected hexadecimal digits in pairs`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The text of `bytes` when they are valid UTF-8 without control characters (newlines and tabs allowed); else undefined. */
export function printableText(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  return /^[^\p{Cc}]*$/u.test(text.replace(/[\n\r\t]/g, '')) ? text : undefined;
}

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
