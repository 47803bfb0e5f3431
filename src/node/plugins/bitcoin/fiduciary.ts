/**
 * The fiduciary's side of an order, without I/O: the beneficiary's share
 * from the request, the reply to an order given the committed share f, the
 * redemption reply, and the record kept in the keystore (f with the
 * request it answers, DAG-CBOR).
 * @module
 */
import * as dagCbor from '@ipld/dag-cbor';
import type { CID } from 'multiformats/cid';
import { anyValue, bytes as byteString, literal, struct } from '../../../core/schema.ts';
import { addressesOf } from '../../../plugins/bitcoin/address.ts';
import { derivePublicKey } from '../../../plugins/bitcoin/bip32.ts';
import { commitmentOf, proveShare } from '../../../plugins/bitcoin/commitment.ts';
import { BitcoinError, badRequest } from '../../../plugins/bitcoin/errors.ts';
import {
  addPublicKeys,
  type Point,
  parsePublicKey,
  parseSecret,
  publicKeyBytes,
  publicKeyOf,
  SECRET_BYTES,
} from '../../../plugins/bitcoin/keys.ts';
import { network } from '../../../plugins/bitcoin/network.ts';
import {
  type OrderReply,
  type OrderRequest,
  parseBitcoinInput,
  parseOrderRequest,
  REPLY_VERSION,
  type RedeemReply,
} from '../../../plugins/bitcoin/schema.ts';

/** B: the key in the order, or the child of its xpub at its path (checked: on the curve, right network). */
export function beneficiaryKey(req: OrderRequest): Point {
  if (req.beneficiaryKey) throw badRequest('beneficiaryKey: the key statement must be resolved first');
  if (req.beneficiaryPublicKey) return parsePublicKey(req.beneficiaryPublicKey, 'beneficiaryPublicKey');
  return parsePublicKey(derivePublicKey(req.xpub, req.path, network(req.network)), 'path');
}

/** The order reply; `statement` is the key statement the order carried, echoed for the beneficiary to check. */
export function orderReply(
  share: Uint8Array,
  order: CID | string,
  req: OrderRequest,
  statement?: Uint8Array,
): OrderReply & { readonly proof: Uint8Array } {
  const reply = replyFor(publicKeyOf(share), order, req, statement);
  return { ...reply, proof: proveShare(share, reply.commitment) };
}

/**
 * What an order reply says of F = `fiduciaryPublicKey` (f·G of one node, or a DKG's group key in threshold mode):
 * B, F + B, its addresses and the commitment; the proof (or the DKG's name) is the caller's.
 */
export function replyFor(
  fiduciaryPublicKey: Uint8Array,
  order: CID | string,
  req: OrderRequest,
  statement?: Uint8Array,
): OrderReply {
  const net = network(req.network);
  const b = beneficiaryKey(req);
  const sum = addPublicKeys(parsePublicKey(fiduciaryPublicKey, 'fiduciaryPublicKey'), b);
  const addresses = addressesOf(sum, net);
  const beneficiaryPublicKey = publicKeyBytes(b);
  const commitment = commitmentOf({
    order,
    network: net.name,
    addressType: req.addressType,
    fiduciaryPublicKey,
    beneficiaryPublicKey,
  });
  return {
    version: REPLY_VERSION,
    network: net.name,
    addressType: req.addressType,
    address: addresses[req.addressType],
    addresses,
    fiduciaryPublicKey,
    beneficiaryPublicKey,
    publicKey: publicKeyBytes(sum),
    commitment,
    ...(req.xpub !== undefined ? { xpub: req.xpub, path: req.path! } : {}),
    ...(statement ? { beneficiaryKey: statement } : {}),
  };
}

export function redeemReply(share: Uint8Array, order: CID | string, req: OrderRequest): RedeemReply {
  const reply = orderReply(share, order, req);
  return {
    version: REPLY_VERSION,
    fiduciaryShare: share,
    fiduciaryPublicKey: reply.fiduciaryPublicKey,
    commitment: reply.commitment,
  };
}

/** What the keystore holds for an order: the share and the request it answers. */
export interface CommittedOrder {
  readonly share: Uint8Array;
  readonly request: OrderRequest;
}

export function encodeCommitted(c: CommittedOrder): Uint8Array {
  parseSecret(c.share, 'share');
  return dagCbor.encode({ v: 1, share: c.share, request: c.request });
}

const COMMITTED_ORDER = struct({ v: literal(1), share: byteString(SECRET_BYTES), request: anyValue });

export function decodeCommitted(bytes: Uint8Array): CommittedOrder {
  let value: unknown;
  try {
    value = dagCbor.decode(bytes);
  } catch {
    throw new BitcoinError('bad_request', 'committed order record is corrupt');
  }
  const m = parseBitcoinInput(COMMITTED_ORDER, value, 'committed order record');
  const share = Uint8Array.from(m.share); // a copy: the caller wipes `bytes`
  parseSecret(share, 'share');
  return { share, request: parseOrderRequest(m.request) };
}
