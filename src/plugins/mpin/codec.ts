/**
 * The plugin's JSON and DAG-CBOR inputs are checked with the schema
 * combinators (src/core/schema.ts); byte strings in JSON are strict
 * standard base64 (`base64Bytes`), so that one value has one spelling. A
 * value that does not fit (unknown or missing field, wrong type, bad
 * base64, wrong length) is MpinError('malformed') naming the field.
 * @module
 */
import { type Check, integer, SchemaPathError } from '../../core/schema.ts';
import { MpinError } from './errors.ts';

/** Milagro's G1 encoding (04 || x || y) and G2 encoding, in bytes. */
export const G1_BYTES = 97;
export const G2_BYTES = 192;

/** Unix seconds and days since the epoch: positive, 32 bits. */
export const u32Positive = integer(1, 0xffffffff);

/** `check(value)` with `where` as the path; a value that does not fit is MpinError('malformed'). */
export function parseMpinInput<T>(check: Check<T>, value: unknown, where: string): T {
  try {
    return check(value, where);
  } catch (e) {
    if (e instanceof SchemaPathError) throw new MpinError('malformed', e.message);
    throw e;
  }
}
