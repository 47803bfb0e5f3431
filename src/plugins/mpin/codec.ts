/**
 * JSON shapes of the plugin's routes: byte strings travel as standard
 * base64 (RFC 4648 section 4, padded), decoded strictly so that one value
 * has one spelling. Objects are checked field by field; unknown fields,
 * wrong types and wrong lengths are MpinError('malformed').
 * @module
 */
import { MpinError } from './errors.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function toBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}

/** Strict base64 of exactly `len` bytes (or up to `max` when len is undefined). */
export function fromBase64(field: string, s: unknown, len?: number, max = 1 << 16): Uint8Array {
  if (typeof s !== 'string' || s.length > ((max + 2) / 3) * 4 + 4 || !BASE64.test(s)) {
    throw new MpinError('malformed', `${field}: expected base64`);
  }
  const b = new Uint8Array(Buffer.from(s, 'base64'));
  if (Buffer.from(b).toString('base64') !== s) throw new MpinError('malformed', `${field}: non-canonical base64`);
  if (len !== undefined && b.length !== len) throw new MpinError('malformed', `${field}: expected ${len} bytes, got ${b.length}`);
  if (b.length > max) throw new MpinError('malformed', `${field}: too long`);
  return b;
}

/** A plain JSON object whose keys are all in `allowed` (and all of `required` present). */
export function object(where: string, x: unknown, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new MpinError('malformed', `${where}: expected an object`);
  const o = x as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!required.includes(k) && !optional.includes(k)) throw new MpinError('malformed', `${where}: unknown field "${k}"`);
  }
  for (const k of required) if (o[k] === undefined) throw new MpinError('malformed', `${where}: missing field "${k}"`);
  return o;
}

/** An integer in [min, max]. */
export function integer(field: string, x: unknown, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min || x > max) {
    throw new MpinError('malformed', `${field}: expected an integer in [${min}, ${max}]`);
  }
  return x;
}
