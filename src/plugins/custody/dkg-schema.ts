/**
 * The DKG variant of custody envelopes: a key the nodes generated together (src/core/dkg/, a session whose
 * purpose is "custody:<what>"), bound by its requester to one order per node, released to the beneficiary alone.
 *
 *   "custody/order"   request { dkg, beneficiary }   with the principal's intent (sealed to the node and the
 *                             beneficiary); `dkg` the session CID, done at this node, whose requester sent it
 *                     reply   { order, dkg, index, beneficiary, groupKey }   sealed to principal and beneficiary
 *   "custody/redeem"  request { }   from the beneficiary
 *                     reply   { order, session, index, share, commitments }   sealed to the beneficiary:
 *                             `session` the session document's bytes, `share` this node's scalar f(index)
 * @module
 */
import type { CID } from 'multiformats/cid';
import { bytes, type Check, cid, list, struct } from '../../core/schema.ts';
import { MAX_NODES } from './group.ts';
import { index, orderId, parseCustody, SCALAR_BYTES } from './schema-fields.ts';

/** Room for a compressed point of either DKG group (48 on BLS12-381, 33 on secp256k1). */
const point = bytes({ min: 33, max: 48 });
const MAX_SESSION_BYTES = 16 * 1024;

export interface DkgOrderRequest {
  readonly dkg: CID;
  readonly beneficiary: CID;
}

export interface DkgOrderReply {
  readonly order: string;
  readonly dkg: CID;
  readonly index: number;
  readonly beneficiary: CID;
  readonly groupKey: Uint8Array;
}

export interface DkgRedeemReply {
  readonly order: string;
  readonly session: Uint8Array;
  readonly index: number;
  readonly share: Uint8Array;
  readonly commitments: Uint8Array[];
}

const orderRequest = struct({ dkg: cid, beneficiary: cid }) as Check<DkgOrderRequest>;
const orderReply = struct({
  order: orderId,
  dkg: cid,
  index,
  beneficiary: cid,
  groupKey: point,
}) as Check<DkgOrderReply>;
const redeemReply = struct({
  order: orderId,
  session: bytes({ min: 1, max: MAX_SESSION_BYTES }),
  index,
  share: bytes(SCALAR_BYTES),
  commitments: list(point, { min: 1, max: MAX_NODES }),
}) as Check<DkgRedeemReply>;

/** True when an order's content is of the DKG variant (it names a session); the parser then checks the rest. */
export const isDkgOrder = (content: unknown): boolean =>
  typeof content === 'object' && content !== null && 'dkg' in content;

export const parseDkgOrderRequest = (content: unknown): DkgOrderRequest =>
  parseCustody(orderRequest, content, 'custody/order (dkg)');
export const parseDkgOrderReply = (content: unknown): DkgOrderReply =>
  parseCustody(orderReply, content, 'custody reply');
export const parseDkgRedeemReply = (content: unknown): DkgRedeemReply =>
  parseCustody(redeemReply, content, 'custody redemption');
