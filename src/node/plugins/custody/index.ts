/**
 * custody's server half: what a node does with its order of a custody group (check the group and its share
 * against the commitments, then keep the share) and a redemption (release the share and the ciphertext to the
 * beneficiary alone). The envelopes, the group document and the checks a client makes are the shared half's
 * (src/plugins/custody/).
 *
 * Everything is checked before anything is kept: the group is signed by the order's sender, names the order's
 * beneficiary, lists this node, and names the ciphertext the order carries; the share part is sealed to this
 * node alone, for this group and this node's index, and matches the Feldman commitments (the core's vss) —
 * else 400 bad_share, and the order is not committed.
 * @module
 */
import { wipe } from '../../../core/bytes.ts';
import { cidOf } from '../../../core/protocol/cbor.ts';
import { ciphertextCid } from '../../../plugins/custody/cipher.ts';
import { isDkgOrder } from '../../../plugins/custody/dkg-schema.ts';
import { refuse } from '../../../plugins/custody/errors.ts';
import { indexOf, readGroup, type VerifiedGroup } from '../../../plugins/custody/group.ts';
import {
  type OrderRequest,
  parseOrderRequest,
  parseRedeemRequest,
  parseSharePart,
  SHARE_TYPE,
} from '../../../plugins/custody/schema.ts';
import { PluginError } from '../errors.ts';
import type { DtaPlugin, OpenedRequest, OrderRecord, PluginContext, PluginReply } from '../types.ts';
import { bindDkg, forgetDkg, redeemDkg } from './dkg-holding.ts';
import { assertGroupFree, claimGroup, holdingName, keepHolding, readHolding } from './holding.ts';
import { openapi } from './openapi.ts';
import { assertNotMoved, resharingStepOf } from './reshare-steps.ts';

/** The order is sealed to this node and its beneficiary (the principal's intent), and the beneficiary is known. */
async function assertAddressed(ctx: PluginContext, request: OpenedRequest, content: OrderRequest): Promise<void> {
  if (request.sealed === false) throw new PluginError('bad_request', 'custody: an order must be sealed to the node');
  const { recipients } = request.header;
  if (!recipients.some((r) => r.equals(content.beneficiary))) {
    throw new PluginError('bad_request', 'custody: an order is sealed to its beneficiary too (its intent)');
  }
  try {
    await ctx.identities.resolve(content.beneficiary);
  } catch {
    throw new PluginError('bad_request', `custody: the beneficiary ${content.beneficiary} is not known to this node`);
  }
}

/** The group the order carries, checked: the sender's, for the order's beneficiary and ciphertext, listing us. */
async function checkedGroup(ctx: PluginContext, request: OpenedRequest, content: OrderRequest) {
  const group = await readGroup(ctx.core.bls, content.group, async () => request.sender);
  if (!group.value.beneficiary.equals(content.beneficiary))
    refuse('bad_group', 'custody: the group names another beneficiary');
  if (!ciphertextCid(content.ciphertext).equals(group.value.ciphertext)) {
    refuse('bad_group', 'custody: the ciphertext is not the one the group names');
  }
  const index = indexOf(group.value, ctx.node.cid);
  if (index === undefined) refuse('bad_group', 'custody: the group does not list this node');
  return { group, index };
}

/** Our share from the part sealed to us alone, checked against the group's commitments. */
async function checkedShare(
  ctx: PluginContext,
  request: OpenedRequest,
  content: OrderRequest,
  group: VerifiedGroup,
  index: number,
) {
  if (!request.openPart) throw new PluginError('bad_request', 'custody: this node cannot open a share part');
  const part = await request.openPart(content.share);
  const { recipients } = part.header;
  if (part.header.type !== SHARE_TYPE || part.sealed !== true || recipients.length !== 1) {
    throw new PluginError('bad_request', `custody: a share is a "${SHARE_TYPE}" envelope sealed to this node alone`);
  }
  const share = parseSharePart(part.content);
  if (!share.group.equals(group.cid) || share.index !== index) {
    wipe(share.value);
    refuse('bad_share', `custody: the share is not for this group at index ${index}`);
  }
  let ok: boolean;
  try {
    ok = ctx.core.vss.verify({ index, value: share.value }, group.value.commitments);
  } catch {
    wipe(share.value);
    refuse('bad_group', "custody: the group's commitments are not points of G1");
  }
  if (!ok) {
    wipe(share.value);
    refuse('bad_share', 'custody: the share does not match the commitments');
  }
  return share.value;
}

async function order(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const resharing = resharingStepOf(request.content);
  if (resharing) return resharing(ctx, request);
  if (isDkgOrder(request.content)) return bindDkg(ctx, request);
  const content = parseOrderRequest(request.content);
  await assertAddressed(ctx, request, content);
  const { group, index } = await checkedGroup(ctx, request, content);
  const id = request.cid.toString();
  await assertGroupFree(ctx.keystore, group.cid, id); // before opening the share: a second order is refused as such
  const share = await checkedShare(ctx, request, content, group, index);
  try {
    await claimGroup(ctx.keystore, group.cid, id);
    await keepHolding(ctx.keystore, id, { group: group.bytes, index, share, ciphertext: content.ciphertext });
  } finally {
    wipe(share);
  }
  ctx.log.info('custody share kept', { order: id, group: group.cid.toString(), index });
  const principal = request.sender.cid;
  const recipients = principal.equals(content.beneficiary) ? [principal] : [principal, content.beneficiary];
  const reply = { order: id, group: group.cid, index, beneficiary: content.beneficiary };
  return { content: reply, recipients, beneficiary: content.beneficiary };
}

async function redeem(ctx: PluginContext, record: OrderRecord, request: OpenedRequest): Promise<PluginReply> {
  parseRedeemRequest(request.content);
  if (request.sender.cid.toString() !== record.beneficiary) {
    throw new PluginError('not_beneficiary', 'custody: only the beneficiary may redeem', 403);
  }
  const held = await readHolding(ctx.keystore, record.id);
  if (!held) await assertNotMoved(ctx.keystore, record.id);
  const bound = held ? undefined : await redeemDkg(ctx, record, request);
  if (bound) return bound;
  if (!held) throw new PluginError('not_found', 'custody: no share is kept for this order', 404);
  const reply = {
    order: record.id,
    group: cidOf(held.group),
    groupDocument: held.group,
    index: held.index,
    share: held.share,
    ciphertext: held.ciphertext,
  };
  ctx.log.info('custody share released', { order: record.id, index: held.index });
  return { content: reply, recipients: [request.sender.cid] };
}

/**
 * The principal cancelled `record` (docs/protocol.md#check-in-and-cancel): this node's share is deleted for good.
 * The group's claim stays, so the same group cannot be ordered here again.
 */
async function forget(ctx: PluginContext, record: OrderRecord): Promise<void> {
  if (!ctx.keystore.delete) throw new Error('custody: this keystore cannot delete a share');
  await ctx.keystore.delete(holdingName(record.id));
  await forgetDkg(ctx, record.id);
  ctx.log.info('custody share deleted: the order is cancelled', { order: record.id });
}

export const plugin: DtaPlugin = {
  name: 'custody',
  version: '1.0.0',
  order,
  redeem,
  conditions: true,
  forget,
  openapi,
};
export default plugin;
