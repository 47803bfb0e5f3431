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
import { bytes, cid, struct } from '../../core/schema.ts';
import { ciphertext, groupBytes, index, orderId, parseCustody, SCALAR_BYTES } from './schema-fields.ts';

export const SHARE_TYPE = 'custody/share';

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

export const parseOrderRequest = (content: unknown): OrderRequest =>
  parseCustody(orderRequest, content, 'custody/order');
export const parseSharePart = (content: unknown): SharePart => parseCustody(sharePart, content, SHARE_TYPE);
export const parseRedeemRequest = (content: unknown): void =>
  void parseCustody(redeemRequest, content, 'custody/redeem');
export const parseOrderReply = (content: unknown): OrderReply => parseCustody(orderReply, content, 'custody reply');
export const parseRedeemReply = (content: unknown): RedeemReply =>
  parseCustody(redeemReply, content, 'custody redemption');
