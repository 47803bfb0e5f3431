/**
 * custody orders of the DKG variant (src/plugins/custody/dkg-schema.ts): a `{ dkg, beneficiary }` order binds this
 * node's share of a finished DKG whose purpose is "custody:…" (PluginContext.dkg shows this plugin no other) to
 * one order, and its redemption releases the share, the session document and the commitments to the
 * beneficiary alone. The share stays where the DKG left it (the node's sealed DKG state); the plugin keystore
 * keeps only public bindings, written before the reply:
 *
 *   "custody/dkg/<session CID>"       the UTF-8 id of the order that binds the session's share here (one order)
 *   "custody/dkg-order/<order id>"    the UTF-8 session CID that order binds
 *
 * Refused before anything is written: a session not done here (404 not_found), an order whose sender did not
 * start the session here (403 not_requester), a session another order binds (409 group_taken).
 * @module
 */
import { CID } from 'multiformats/cid';
import { utf8, wipe } from '../../../core/bytes.ts';
import { parseDkgOrderRequest } from '../../../plugins/custody/dkg-schema.ts';
import { CustodyError } from '../../../plugins/custody/errors.ts';
import { PluginError } from '../errors.ts';
import type { DkgHolding, OpenedRequest, OrderRecord, PluginContext, PluginReply } from '../types.ts';

const claimName = (session: CID | string): string => `dkg/${session}`;
const bindingName = (order: string): string => `dkg-order/${order}`;
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Sealed to this node and the beneficiary (the principal's intent); the beneficiary known here. */
async function assertAddressed(ctx: PluginContext, request: OpenedRequest, beneficiary: CID): Promise<void> {
  if (request.sealed === false) throw new PluginError('bad_request', 'custody: an order must be sealed to the node');
  if (!request.header.recipients.some((r) => r.equals(beneficiary))) {
    throw new PluginError('bad_request', 'custody: an order is sealed to its beneficiary too (its intent)');
  }
  try {
    await ctx.identities.resolve(beneficiary);
  } catch {
    throw new PluginError('bad_request', `custody: the beneficiary ${beneficiary} is not known to this node`);
  }
}

/** This node's holding of `session`, done here; the share is not needed to bind it and is wiped at once. */
async function finished(ctx: PluginContext, session: CID): Promise<Omit<DkgHolding, 'share'>> {
  if (!ctx.dkg) throw new PluginError('bad_request', 'custody: this node runs no DKGs');
  const holding = await ctx.dkg.get(session);
  if (!holding) throw new PluginError('not_found', `custody: no finished custody DKG ${session} at this node`, 404);
  wipe(holding.share);
  return holding;
}

/** Claims `session` for `order` (the same bytes again on a retry), then records which session the order binds. */
async function bind(ctx: PluginContext, session: CID, order: string): Promise<void> {
  const claimed = await ctx.keystore.get(claimName(session));
  if (claimed && text(claimed) !== order) {
    throw new CustodyError('group_taken', `custody: another order binds this node's share of DKG ${session}`);
  }
  await ctx.keystore.put(claimName(session), utf8(order));
  await ctx.keystore.put(bindingName(order), utf8(session.toString()));
}

/** A `{ dkg, beneficiary }` order: checks, binds, and replies with the node's index and the group key. */
export async function bindDkg(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseDkgOrderRequest(request.content);
  await assertAddressed(ctx, request, content.beneficiary);
  const holding = await finished(ctx, content.dkg);
  const principal = request.sender.cid;
  if (!holding.requester.equals(principal)) {
    throw new PluginError('not_requester', 'custody: only the identity that started the DKG here may bind it', 403);
  }
  const id = request.cid.toString();
  await bind(ctx, content.dkg, id);
  ctx.log.info('custody DKG share bound', { order: id, dkg: content.dkg.toString(), index: holding.index });
  const reply = {
    order: id,
    dkg: content.dkg,
    index: holding.index,
    beneficiary: content.beneficiary,
    groupKey: holding.groupKey,
  };
  const recipients = principal.equals(content.beneficiary) ? [principal] : [principal, content.beneficiary];
  return { content: reply, recipients, beneficiary: content.beneficiary };
}

/** The redemption of a DKG order (the sender is its beneficiary, checked by the caller); undefined for others. */
export async function redeemDkg(
  ctx: PluginContext,
  record: OrderRecord,
  request: OpenedRequest,
): Promise<PluginReply | undefined> {
  const bound = await ctx.keystore.get(bindingName(record.id));
  if (!bound) return undefined;
  const holding = ctx.dkg ? await ctx.dkg.get(CID.parse(text(bound))) : undefined;
  if (!holding) throw new PluginError('not_found', "custody: this node's share of the DKG is gone", 404);
  const reply = {
    order: record.id,
    session: holding.session.bytes,
    index: holding.index,
    share: holding.share,
    commitments: holding.commitments,
  };
  ctx.log.info('custody DKG share released', { order: record.id, index: holding.index });
  return { content: reply, recipients: [request.sender.cid] };
}

/** A cancelled DKG order: this node's share of the DKG and the order's binding to it are deleted for good. */
export async function forgetDkg(ctx: PluginContext, order: string): Promise<void> {
  const bound = await ctx.keystore.get(bindingName(order));
  if (!bound) return;
  await ctx.dkg?.remove(CID.parse(text(bound)));
  await ctx.keystore.delete!(bindingName(order));
}
