/**
 * Byte sizes, read once from the module's dta_*_bytes() / dta_*_sizeof()
 * functions. The bindings never hard-code 48/96/192: the C header is the
 * single source of truth.
 * @module
 */
import type { CoreExports } from './wasm/exports.ts';

export interface Sizes {
  /** A base-field element (big-endian). */
  readonly fp: number;
  /** A scalar of Fr (big-endian, < r). */
  readonly scalar: number;
  readonly secretKey: number;
  readonly g1Compressed: number;
  readonly g1Uncompressed: number;
  readonly g2Compressed: number;
  readonly g2Uncompressed: number;
  /** A GT element: twelve Fp coefficients. */
  readonly gt: number;
  /** Opaque raw handles (see `raw`). */
  readonly p1Handle: number;
  readonly p2Handle: number;
  readonly gtHandle: number;
}

export function readSizes(e: CoreExports): Sizes {
  return Object.freeze({
    fp: e.dta_fp_bytes(),
    scalar: e.dta_scalar_bytes(),
    secretKey: e.dta_secret_key_bytes(),
    g1Compressed: e.dta_g1_compressed_bytes(),
    g1Uncompressed: e.dta_g1_uncompressed_bytes(),
    g2Compressed: e.dta_g2_compressed_bytes(),
    g2Uncompressed: e.dta_g2_uncompressed_bytes(),
    gt: e.dta_gt_bytes(),
    p1Handle: e.dta_p1_sizeof(),
    p2Handle: e.dta_p2_sizeof(),
    gtHandle: e.dta_gt_sizeof(),
  });
}
