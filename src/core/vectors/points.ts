/**
 * Affine coordinates as published in test vectors -> the core's
 * uncompressed encodings (ZCash/IETF: G1 = x || y; G2 = x.c1 || x.c0 ||
 * y.c1 || y.c0, imaginary part first). Each coordinate is left-padded to
 * `fp` bytes (core.sizes.fp).
 * @module
 */
import { concat } from '../bytes.ts';
import { vectorHex } from './report.ts';

function fpBytes(hex: string, fp: number): Uint8Array {
  const b = vectorHex(hex.trim());
  if (b.length > fp) throw new Error(`coordinate of ${b.length} bytes is longer than ${fp}`);
  const out = new Uint8Array(fp);
  out.set(b, fp - b.length);
  return out;
}

export function g1Uncompressed(x: string, y: string, fp: number): Uint8Array {
  return concat(fpBytes(x, fp), fpBytes(y, fp));
}

/** Real and imaginary parts given separately (c0 = re, c1 = im). */
export function g2Uncompressed(xRe: string, xIm: string, yRe: string, yIm: string, fp: number): Uint8Array {
  return concat(fpBytes(xIm, fp), fpBytes(xRe, fp), fpBytes(yIm, fp), fpBytes(yRe, fp));
}

/** An Fp2 element written "0x<c0>,0x<c1>" (real part first), as in the RFC 9380 JSON files. */
function splitFp2(s: string): [string, string] {
  const parts = s.split(',');
  if (parts.length !== 2) throw new Error(`expected "c0,c1", got ${parts.length} part(s)`);
  return [parts[0]!, parts[1]!];
}

/** G2 from the JSON form {x: "c0,c1", y: "c0,c1"}. */
export function g2FromJson(x: string, y: string, fp: number): Uint8Array {
  const [xRe, xIm] = splitFp2(x);
  const [yRe, yIm] = splitFp2(y);
  return g2Uncompressed(xRe, xIm, yRe, yIm, fp);
}
