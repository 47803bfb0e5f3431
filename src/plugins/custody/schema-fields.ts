// The field checks every custody content shares (plain, DKG and resharing orders and replies), and the one way
// they report a bad field: a SchemaError becomes CustodyError('malformed'), so a node answers one stable code.
import { SchemaError } from '../../core/protocol/errors.ts';
import { bytes, type Check, integer, text } from '../../core/schema.ts';
import { MAX_CIPHERTEXT_BYTES } from './cipher.ts';
import { CustodyError } from './errors.ts';
import { MAX_NODES } from './group.ts';

export const SCALAR_BYTES = 32;
const MAX_GROUP_BYTES = 64 * 1024;

/** A node's 1-based place in a group. */
export const index = integer(1, MAX_NODES);
/** The CID string of a committed order, as a reply names it. */
export const orderId = text({ minBytes: 1, maxBytes: 256 });
/** A group document's encoded bytes. */
export const groupBytes = bytes({ min: 1, max: MAX_GROUP_BYTES });
/** The secret sealed under the group's key. */
export const ciphertext = bytes({ min: 1, max: MAX_CIPHERTEXT_BYTES });

/** Runs `check` on untrusted content; a SchemaError becomes CustodyError('malformed') with its message. */
export function parseCustody<T>(check: Check<T>, value: unknown, what: string): T {
  try {
    return check(value, what);
  } catch (e) {
    if (e instanceof SchemaError) throw new CustodyError('malformed', e.message);
    throw e;
  }
}
