/**
 * Threshold mode on the node: a `bitcoin/order` naming `dkg`, a finished DKG on secp256k1 with purpose
 * "bitcoin:fiduciary key" that this node took part in. F is the DKG's group key instead of a node-drawn f·G,
 * so no node ever holds f; the addresses of F + B and the commitment are exactly those of a single node's
 * order, and the reply names the session and this node's index instead of proving f (F is fixed by the
 * transcript all n nodes signed, before B reached any of them). Redemption releases this node's share f_i and
 * the group's commitments, sealed to the beneficiary, who recovers f from any t (src/plugins/bitcoin/threshold.ts).
 *
 * The share stays in the node's DKG state; the plugin keystore keeps public bindings only, written before the
 * reply and never replaced:
 *   "bitcoin/dkg/<session CID>"      the id of the one order that binds this node's share of the session
 *   "bitcoin/dkg-order/<order id>"   DAG-CBOR { v: 1, session, request }
 * @module
 */
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { equalBytes, utf8, wipe } from '../../../core/bytes.ts';
import { anyValue, literal, struct } from '../../../core/schema.ts';
import { BitcoinError, badRequest } from '../../../plugins/bitcoin/errors.ts';
import { publicKeyBytes } from '../../../plugins/bitcoin/keys.ts';
import {
  type OrderReply,
  type OrderRequest,
  parseBitcoinInput,
  parseOrderRequest,
  REPLY_VERSION,
  type RedeemReply,
} from '../../../plugins/bitcoin/schema.ts';
import type { ScopedKeystore } from '../../keystore/types.ts';
import type { DkgHolding, PluginContext } from '../types.ts';
import { beneficiaryKey, replyFor } from './fiduciary.ts';
import { claimKey } from './store.ts';

const PURPOSE = 'bitcoin:fiduciary key';
const claimName = (session: CID): string => `dkg/${session}`;
const bindingName = (order: string): string => `dkg-order/${order}`;
const BINDING = struct({ v: literal(1), session: anyValue, request: anyValue });

/** This node's finished holding of the order's session, checked: secp256k1, the purpose, started by `principal`. */
async function holdingFor(ctx: PluginContext, session: CID, principal: CID): Promise<DkgHolding> {
  if (!ctx.dkg) throw badRequest('dkg: this node runs no DKGs');
  const holding = await ctx.dkg.get(session);
  if (!holding) throw new BitcoinError('not_found', 'dkg: no finished DKG session of this plugin at this node');
  const { group, purpose } = holding.session.value;
  if (group !== 'secp256k1' || purpose !== PURPOSE) {
    wipe(holding.share);
    throw badRequest(`dkg: a threshold fiduciary key is a secp256k1 DKG with purpose "${PURPOSE}"`);
  }
  if (!holding.requester.equals(principal)) {
    wipe(holding.share);
    throw new BitcoinError('not_requester', 'dkg: only the identity that started this DKG here may bind it');
  }
  return holding;
}

/** Claims the session for `orderId` (idempotent for the same order), B for it, then writes the binding. */
async function bind(keystore: ScopedKeystore, orderId: string, session: CID, req: OrderRequest): Promise<void> {
  const claimed = await keystore.get(claimName(session));
  if (claimed && !equalBytes(claimed, utf8(orderId))) {
    throw new BitcoinError('dkg_taken', "dkg: another order binds this node's share of this DKG");
  }
  await claimKey(keystore, orderId, publicKeyBytes(beneficiaryKey(req)));
  await keystore.put(claimName(session), utf8(orderId));
  await keystore.put(bindingName(orderId), dagCbor.encode({ v: 1, session, request: req }));
}

/** The reply to a threshold order (`req.dkg` set, its key statement resolved), after binding the session. */
export async function thresholdOrder(
  ctx: PluginContext,
  orderId: string,
  req: OrderRequest,
  principal: CID,
  statement?: Uint8Array,
): Promise<OrderReply> {
  const session = req.dkg!;
  const holding = await holdingFor(ctx, session, principal);
  wipe(holding.share); // binding needs only the public parts
  await bind(ctx.keystore, orderId, session, req);
  return { ...replyFor(holding.groupKey, orderId, req, statement), dkg: session, index: holding.index };
}

/** The binding of a threshold order, or undefined when `orderId` is not one. */
async function loadBinding(keystore: ScopedKeystore, orderId: string) {
  const bytes = await keystore.get(bindingName(orderId));
  if (!bytes) return undefined;
  const m = parseBitcoinInput(BINDING, dagCbor.decode(bytes), 'threshold order record');
  const session = CID.asCID(m.session);
  if (!session) throw badRequest('threshold order record: not a session CID');
  return { session, request: parseOrderRequest(m.request) };
}

/** The redemption of a threshold order: this node's share f_i; undefined when `orderId` is not a threshold order. */
export async function thresholdRedeem(ctx: PluginContext, orderId: string): Promise<RedeemReply | undefined> {
  const bound = await loadBinding(ctx.keystore, orderId);
  if (!bound) return undefined;
  const holding = ctx.dkg ? await ctx.dkg.get(bound.session) : undefined;
  if (!holding) throw new BitcoinError('not_found', "dkg: this node's share of the DKG is gone");
  const reply = replyFor(holding.groupKey, orderId, bound.request);
  return {
    version: REPLY_VERSION,
    fiduciaryShare: holding.share,
    fiduciaryPublicKey: holding.groupKey,
    commitment: reply.commitment,
    dkg: bound.session,
    index: holding.index,
    commitments: holding.commitments,
  };
}
