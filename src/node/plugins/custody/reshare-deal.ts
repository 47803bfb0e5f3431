/**
 * An old holder's side of resharing (docs/protocol.md#resharing-a-custody-group): asked by the group's principal,
 * it deals its share x_i t'-of-n' to the new committee with a fresh polynomial g_i (core/reshare/deal.ts),
 * publishes G_i,k and seals each g_i(j) to new node j alone (core/crypto/plugin-seal.ts). The dealing is kept in
 * the keystore before the reply leaves (reshare-store.ts): asked again for the same resharing, the node answers
 * the very same dealing. The reply, signed by the node, is sealed to the principal and every new node, which
 * check it themselves (reshare-accept.ts): the principal is trusted with nothing it could not see anyway.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { wipe } from '../../../core/bytes.ts';
import { sealForPlugin } from '../../../core/crypto/plugin-seal.ts';
import { blsGroup } from '../../../core/dkg/bls-group.ts';
import type { IdentityDocument, Verified } from '../../../core/protocol/types.ts';
import { dealReshare } from '../../../core/reshare/deal.ts';
import { ReshareError } from '../../../core/reshare/errors.ts';
import { refuse } from '../../../plugins/custody/errors.ts';
import { readGroup, type VerifiedGroup } from '../../../plugins/custody/group.ts';
import { parseDealRequest, reshareId, subshareAad } from '../../../plugins/custody/reshare-schema.ts';
import { faultArmed } from '../../failpoints.ts';
import { PluginError } from '../errors.ts';
import type { OpenedRequest, PluginContext, PluginReply } from '../types.ts';
import { claimOf, type Holding, readHolding } from './holding.ts';
import { newCommittee } from './reshare-identities.ts';
import { keepDealing, movedOf, readDealing, type StoredDealing } from './reshare-store.ts';

/** The share this node holds of `group` for an order of `principal`'s, with the order's id. */
async function heldShare(ctx: PluginContext, group: CID, principal: CID): Promise<{ order: string; holding: Holding }> {
  const order = await claimOf(ctx.keystore, group);
  if (order === undefined) refuse('bad_group', `custody: this node holds no share of group ${group}`);
  const record = await ctx.orders?.get(order);
  if (!record || record.principal !== principal.toString()) {
    refuse('bad_group', `custody: only the principal of group ${group} may reshare it`);
  }
  const moved = await movedOf(ctx.keystore, order);
  if (moved) throw movedError(moved.to);
  const holding = await readHolding(ctx.keystore, order);
  if (!holding) throw new PluginError('not_found', `custody: no share of group ${group} is kept here`, 404);
  return { order, holding };
}

/** The refusal of a step on a share that resharing moved away. */
export function movedError(to: CID): PluginError {
  return new PluginError(
    'share_moved',
    `custody: this node's share moved to group ${to} (resharing); ask that group's nodes`,
    410,
  );
}

/** Deals `holding`'s share to `nodes`, each subshare sealed to its holder alone; wipes every secret it drew. */
function deal(
  ctx: PluginContext,
  holding: Holding,
  old: VerifiedGroup,
  nodes: readonly Verified<IdentityDocument>[],
  t: number,
  reshare: CID,
): StoredDealing {
  const group = blsGroup(ctx.core);
  const share = { index: holding.index, value: holding.share };
  let dealt: ReturnType<typeof dealReshare>;
  try {
    dealt = dealReshare(group, share, old.value.commitments, t, nodes.length);
  } catch (e) {
    if (e instanceof ReshareError) refuse('bad_share', `custody: this node's share does not verify (${e.code})`);
    throw e;
  } finally {
    wipe(holding.share);
  }
  try {
    if (faultArmed('custody:wrong-subshare')) dealt.subshares[0]!.value[31]! ^= 1; // tests: a lying dealer
    const subshares = nodes.map((node, j) => {
      const slot = { reshare, dealer: ctx.node.cid, holder: node.cid, dealerIndex: share.index, holderIndex: j + 1 };
      return sealForPlugin('custody', node.value.keys.xwing, subshareAad(slot), dealt.subshares[j]!.value);
    });
    const { commitments } = dealt.dealing;
    return { reshare, group: old.cid, index: share.index, commitments, subshares, ciphertext: holding.ciphertext };
  } finally {
    wipe(...dealt.subshares.map((s) => s.value));
  }
}

/** custody/order { reshareDeal }: deal this node's share of the group to the new committee. */
export async function reshareDealStep(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseDealRequest(request.content);
  const principal = request.sender.cid;
  const { holding } = await heldShare(ctx, content.group, principal);
  const group = await readGroup(ctx.core.bls, holding.group, async () => request.sender, content.group);
  const nodes = await newCommittee(ctx, content.nodes, content.t);
  const reshare = reshareId(
    group.cid,
    nodes.map((n) => n.cid),
    content.t,
  );
  const dealing =
    (await readDealing(ctx.keystore, reshare)) ??
    (await keepDealing(ctx.keystore, deal(ctx, holding, group, nodes, content.t, reshare)));
  wipe(holding.share);
  ctx.log.info('custody share dealt for resharing', { group: group.cid.toString(), reshare: reshare.toString() });
  const readers = [principal, ...nodes.map((n) => n.cid).filter((c) => !c.equals(principal))];
  return { content: { order: request.cid.toString(), ...dealing }, recipients: readers, beneficiary: principal };
}
