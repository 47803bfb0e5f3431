/**
 * The contents of custody envelopes, as DAG-CBOR values, and their strict parsers (the schema combinators of
 * src/core/schema.ts); anything else is CustodyError('malformed') naming the field.
 *
 *   "custody/order"   request { beneficiary, group, ciphertext, share }   with the principal's intent: sealed to
 *                             the node and the beneficiary; `group` the group document's bytes, `ciphertext` the
 *                             encrypted secret, `share` a "custody/share" envelope sealed to the node alone
 *   "custody/share"   part    { group, index, value }   the node's share of k (32-byte scalar)
 *                     reply   { order, group, index, beneficiary }   sealed to the principal and the beneficiary
 *   "custody/redeem"  request { }   from the beneficiary
 *                     reply   { order, group, groupDocument, index, share, ciphertext }   sealed to the beneficiary
 * @module
 */
import type { CID } from 'multiformats/cid';
import { SchemaError } from '../../core/protocol/errors.ts';
import { bytes, type Check, cid, integer, struct, text } from '../../core/schema.ts';
import { MAX_CIPHERTEXT_BYTES } from './cipher.ts';
import { CustodyError } from './errors.ts';
import { MAX_NODES } from './group.ts';

export const SHARE_TYPE = 'custody/share';
const SCALAR_BYTES = 32;
const MAX_GROUP_BYTES = 64 * 1024;

export interface OrderRequest {
  readonly beneficiary: CID;
  readonly group: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly share: Uint8Array;
}

export interface SharePart {
  readonly group: CID;
  readonly index: number;
  readonly value: Uint8Array;
}

export interface OrderReply {
  readonly order: string;
  readonly group: CID;
  readonly index: number;
  readonly beneficiary: CID;
}

export interface RedeemReply {
  readonly order: string;
  readonly group: CID;
  readonly groupDocument: Uint8Array;
  readonly index: number;
  readonly share: Uint8Array;
  readonly ciphertext: Uint8Array;
}

const index = integer(1, MAX_NODES);
const orderId = text({ minBytes: 1, maxBytes: 256 });
const groupBytes = bytes({ min: 1, max: MAX_GROUP_BYTES });
const ciphertext = bytes({ min: 1, max: MAX_CIPHERTEXT_BYTES });
// A share envelope: one scalar sealed to one recipient, with room for its header and key slot.
const shareEnvelope = bytes({ min: 1, max: 8192 });

const orderRequest = struct({ beneficiary: cid, group: groupBytes, ciphertext, share: shareEnvelope });
const sharePart = struct({ group: cid, index, value: bytes(SCALAR_BYTES) });
const redeemRequest = struct({});
const orderReply = struct({ order: orderId, group: cid, index, beneficiary: cid });
const redeemReply = struct({
  order: orderId,
  group: cid,
  groupDocument: groupBytes,
  index,
  share: bytes(SCALAR_BYTES),
  ciphertext,
});

/** Runs `check` on untrusted content; a SchemaError becomes CustodyError('malformed') with its message. */
function parse<T>(check: Check<T>, value: unknown, what: string): T {
  try {
    return check(value, what);
  } catch (e) {
    if (e instanceof SchemaError) throw new CustodyError('malformed', e.message);
    throw e;
  }
}

export const parseOrderRequest = (content: unknown): OrderRequest => parse(orderRequest, content, 'custody/order');
export const parseSharePart = (content: unknown): SharePart => parse(sharePart, content, SHARE_TYPE);
export const parseRedeemRequest = (content: unknown): void => void parse(redeemRequest, content, 'custody/redeem');
export const parseOrderReply = (content: unknown): OrderReply => parse(orderReply, content, 'custody reply');
export const parseRedeemReply = (content: unknown): RedeemReply => parse(redeemReply, content, 'custody redemption');
