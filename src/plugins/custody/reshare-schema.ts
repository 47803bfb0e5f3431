/**
 * The contents of the resharing steps (docs/protocol.md#resharing-a-custody-group), as DAG-CBOR values, and their
 * strict parsers. Every step is a "custody/order" (a node-signed, durable, logged reply; see the protocol), told
 * apart by its one distinguishing field:
 *
 *   deal     request { reshareDeal: { group: CID, nodes: [identity document bytes…], t } }   at an old holder
 *            reply   { order, reshare, group, index, commitments: [48 B…], subshares: [{enc, ciphertext}…],
 *                      ciphertext }   sealed to the principal and every new node
 *   accept   request { beneficiary, group, ciphertext, reshared: { from: old group bytes, dealings: [envelope…] } }
 *            reply   the order reply of schema.ts, sealed to the principal, the beneficiary and the old holders
 *   confirm  request { reshareConfirm: { group: new group bytes, accepted: [the new nodes' reply envelopes…] } }
 *            reply   { order, moved, from, to, index }   sealed to the principal
 *
 * The resharing id names what an old holder deals for: the old group, the new committee and t' (the same three
 * always give the same id, so a holder asked again deals the same polynomial). A subshare is sealed to its new
 * holder alone (core/crypto/plugin-seal.ts) with associated data binding the id, both nodes and both indices.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { cidOf, encode } from '../../core/protocol/cbor.ts';
import { bytes, cid, list, struct } from '../../core/schema.ts';
import { MAX_NODES } from './group.ts';
import { ciphertext, groupBytes, index, orderId, parseCustody } from './schema-fields.ts';

const RESHARE_TYPE = 'dta/custody-reshare';
const SUBSHARE_AAD = 'dta/custody-reshare/v1 subshare';
const MAX_IDENTITY_BYTES = 16 * 1024;
/** A forwarded node reply: sealed to at most n' + 1 readers (about 1.2 KB each) with n' sealed subshares. */
const MAX_FORWARDED_BYTES = 1 << 20;
/** X-Wing's encapsulation (1120 bytes) and a sealed 32-byte scalar with its tag. */
const ENC_BYTES = 1120;
const SEALED_SCALAR_BYTES = 48;

export interface DealRequest {
  readonly group: CID;
  readonly nodes: Uint8Array[];
  readonly t: number;
}

export interface SealedSubshare {
  readonly enc: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface DealReply {
  readonly order: string;
  readonly reshare: CID;
  readonly group: CID;
  readonly index: number;
  readonly commitments: Uint8Array[];
  readonly subshares: SealedSubshare[];
  readonly ciphertext: Uint8Array;
}

export interface AcceptRequest {
  readonly beneficiary: CID;
  readonly group: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly reshared: { readonly from: Uint8Array; readonly dealings: Uint8Array[] };
}

export interface ConfirmRequest {
  readonly group: Uint8Array;
  readonly accepted: Uint8Array[];
}

export interface ConfirmReply {
  readonly order: string;
  /** The order whose share this node deleted. */
  readonly moved: string;
  readonly from: CID;
  readonly to: CID;
  readonly index: number;
}

const forwarded = bytes({ min: 1, max: MAX_FORWARDED_BYTES });
const commitments = list(bytes(48), { min: 1, max: MAX_NODES });

const dealRequest = struct({
  reshareDeal: struct({
    group: cid,
    nodes: list(bytes({ min: 1, max: MAX_IDENTITY_BYTES }), { min: 1, max: MAX_NODES }),
    t: index,
  }),
});
const subshare = struct({ enc: bytes(ENC_BYTES), ciphertext: bytes(SEALED_SCALAR_BYTES) });
const dealReply = struct({
  order: orderId,
  reshare: cid,
  group: cid,
  index,
  commitments,
  subshares: list(subshare, { min: 1, max: MAX_NODES }),
  ciphertext,
});
const acceptRequest = struct({
  beneficiary: cid,
  group: groupBytes,
  ciphertext,
  reshared: struct({ from: groupBytes, dealings: list(forwarded, { min: 1, max: MAX_NODES }) }),
});
const confirmRequest = struct({
  reshareConfirm: struct({ group: groupBytes, accepted: list(forwarded, { min: 1, max: MAX_NODES }) }),
});
const confirmReply = struct({ order: orderId, moved: orderId, from: cid, to: cid, index });

/** Which resharing step a "custody/order" content is, by its distinguishing field; undefined for any other order. */
export function reshareStep(content: unknown): 'deal' | 'accept' | 'confirm' | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  if (Object.hasOwn(content, 'reshareDeal')) return 'deal';
  if (Object.hasOwn(content, 'reshareConfirm')) return 'confirm';
  if (Object.hasOwn(content, 'reshared')) return 'accept';
  return undefined;
}

export const parseDealRequest = (c: unknown): DealRequest =>
  parseCustody(dealRequest, c, 'custody reshare deal').reshareDeal;
export const parseDealReply = (c: unknown): DealReply => parseCustody(dealReply, c, 'custody reshare dealing');
export const parseAcceptRequest = (c: unknown): AcceptRequest =>
  parseCustody(acceptRequest, c, 'custody reshare order');
export const parseConfirmRequest = (c: unknown): ConfirmRequest =>
  parseCustody(confirmRequest, c, 'custody reshare confirmation').reshareConfirm;
export const parseConfirmReply = (c: unknown): ConfirmReply =>
  parseCustody(confirmReply, c, 'custody reshare confirmed');

/** The resharing id: CID of DAG-CBOR { type, version: 1, from: old group, nodes: new committee, t: t' }. */
export function reshareId(from: CID, nodes: readonly CID[], t: number): CID {
  return cidOf(encode({ type: RESHARE_TYPE, version: 1, from, nodes: [...nodes], t }));
}

/** What a subshare is sealed to: the resharing, the dealer and the holder (identities and share indices). */
export interface SubshareSlot {
  readonly reshare: CID;
  readonly dealer: CID;
  readonly holder: CID;
  readonly dealerIndex: number;
  readonly holderIndex: number;
}

/** DAG-CBOR [label, reshare, dealer, holder, dealer index, holder index]: a subshare moves to no other slot. */
export function subshareAad(s: SubshareSlot): Uint8Array {
  return encode([SUBSHARE_AAD, s.reshare, s.dealer, s.holder, s.dealerIndex, s.holderIndex]);
}
