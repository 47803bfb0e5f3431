/**
 * Small byte-string helpers shared by the crypto and protocol modules.
 * @module
 */
import { BadLengthError } from '../errors.ts';

/** a || b || ... */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** I2OSP(n, width) of RFC 8017: big-endian, `width` bytes (n < 2^32). */
export function i2osp(n: number, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (let i = width - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** Equality that reads every byte whatever the contents (for tags, keys and other secrets). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Throws BadLengthError unless `bytes` is a Uint8Array of exactly `length` bytes. */
export function expectBytes(bytes: unknown, length: number, what: string): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new BadLengthError(`${what}: expected a Uint8Array`);
  if (bytes.length !== length) throw new BadLengthError(`${what}: expected ${length} bytes, got ${bytes.length}`);
}

/** `length` bytes from the platform CSPRNG (WebCrypto in browsers and in Node). */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues fills at most 65536 bytes per call.
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(out.subarray(at, Math.min(length, at + 65536)));
  return out;
}

/** Overwrites secrets that are no longer needed (best effort: JS may have copied them). */
export function wipe(...arrays: readonly (Uint8Array | undefined)[]): void {
  for (const a of arrays) a?.fill(0);
}
