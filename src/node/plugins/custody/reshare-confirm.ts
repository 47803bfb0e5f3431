/**
 * An old holder's last step of resharing (docs/protocol.md#resharing-a-custody-group): the principal shows that
 * every node of the new group holds its share — each node's own signed reply to its order, sealed to this node
 * too, naming the new group and that node's index — and this node then deletes its share of the old group. The
 * new group is signed by the same principal and names the old group it reshares. The marker "moved" is written
 * before the share is deleted (reshare-store.ts): the order's redemption then says where the share went, and a
 * confirmation run again (a crash in between) completes the deletion and answers the same.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { decodeEnvelope } from '../../../core/protocol/envelope.ts';
import { refuse } from '../../../plugins/custody/errors.ts';
import { indexOf, readGroup, type VerifiedGroup } from '../../../plugins/custody/group.ts';
import { parseConfirmRequest } from '../../../plugins/custody/reshare-schema.ts';
import { parseOrderReply } from '../../../plugins/custody/schema.ts';
import { PluginError } from '../errors.ts';
import type { OpenedRequest, PluginContext, PluginReply } from '../types.ts';
import { claimOf, readHolding } from './holding.ts';
import { movedError } from './reshare-deal.ts';
import { moveAway, movedOf } from './reshare-store.ts';

const REPLY_TYPE = 'custody/order-reply';

function notConfirmed(message: string): never {
  throw new PluginError('not_confirmed', `custody: ${message}; the share is kept`);
}

/** Opens one new node's reply and checks that it holds share `k` of `next` for its beneficiary. */
async function acceptedBy(request: OpenedRequest, next: VerifiedGroup, bytes: Uint8Array): Promise<number> {
  let node: CID;
  try {
    node = decodeEnvelope(bytes).value.header.sender;
  } catch {
    return notConfirmed('a confirmation is not an envelope');
  }
  const k = indexOf(next.value, node);
  if (k === undefined) notConfirmed(`a confirmation is signed by ${node}, not a node of the new group`);
  let part: OpenedRequest;
  try {
    part = await request.openPart!(bytes, node);
  } catch {
    return notConfirmed(`the reply of new node ${k} (${node}) does not verify or is not sealed to this node`);
  }
  const r = part.header.type === REPLY_TYPE ? parseOrderReply(part.content) : undefined;
  if (!r?.group.equals(next.cid) || r.index !== k || !r.beneficiary.equals(next.value.beneficiary)) {
    notConfirmed(`new node ${k} (${node}) did not reply that it holds its share of ${next.cid}`);
  }
  return k;
}

/** Every node of `next` replied that it holds its share. */
async function assertAllAccepted(request: OpenedRequest, next: VerifiedGroup, accepted: readonly Uint8Array[]) {
  if (!request.openPart) throw new PluginError('bad_request', 'custody: cannot open the new nodes replies here');
  const seen = new Set<number>();
  for (const bytes of accepted) seen.add(await acceptedBy(request, next, bytes));
  const n = next.value.nodes.length;
  if (seen.size !== n) notConfirmed(`${seen.size} of the new group's ${n} nodes replied that they hold their share`);
}

/** The order holding this node's share of `from`, the principal's; undefined fields when none is kept. */
async function oldOrder(ctx: PluginContext, from: CID, principal: CID): Promise<string> {
  const order = await claimOf(ctx.keystore, from);
  if (order === undefined) refuse('bad_group', `custody: this node holds no share of group ${from}`);
  const record = await ctx.orders?.get(order);
  if (!record || record.principal !== principal.toString()) {
    refuse('bad_group', `custody: only the principal of group ${from} may move it`);
  }
  return order;
}

/** custody/order { reshareConfirm }: every new node holds its share, so this node deletes its old one. */
export async function reshareConfirmStep(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseConfirmRequest(request.content);
  const principal = request.sender.cid;
  const next = await readGroup(ctx.core.bls, content.group, async () => request.sender);
  const from = next.value.reshares;
  if (!from) return refuse('bad_group', 'custody: the group reshares no group');
  const order = await oldOrder(ctx, from, principal);
  const moved = await movedOf(ctx.keystore, order);
  if (moved && !moved.to.equals(next.cid)) throw movedError(moved.to);
  let index = moved?.index;
  if (index === undefined) {
    const holding = await readHolding(ctx.keystore, order);
    if (!holding) throw new PluginError('not_found', `custody: no share of group ${from} is kept here`, 404);
    holding.share.fill(0);
    index = holding.index;
    await assertAllAccepted(request, next, content.accepted);
  }
  await moveAway(ctx.keystore, order, { from, to: next.cid, index });
  ctx.log.info('custody share moved by resharing', { order, from: from.toString(), to: next.cid.toString() });
  const reply = { order: request.cid.toString(), moved: order, from, to: next.cid, index };
  return { content: reply, recipients: [principal], beneficiary: principal };
}
