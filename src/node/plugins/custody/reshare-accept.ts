/**
 * A new holder's side of resharing (docs/protocol.md#resharing-a-custody-group): a custody order carrying the new
 * group, the group it reshares, the ciphertext and the dealings of at least t old holders. Everything is checked
 * before anything is kept, and a refusal names the old node at fault:
 *   - both groups are signed by the order's sender, the new one names the old one, the same beneficiary and
 *     ciphertext, and lists this node;
 *   - each dealing is an old holder's own signed reply for this resharing (its id from the old group, the new
 *     committee and t'), sealed to this node; G_i,0 = X_i (core/reshare/deal.ts); this node's subshare opens
 *     (sealed to it alone) and verifies against G_i,·;
 *   - the new group's commitments are those the dealings give (C'_0 = C_0: the secret is kept), and the combined
 *     share verifies against them.
 * The share is then kept like a dealt one (holding.ts), and the reply is sealed to the old holders too: their
 * proof, at confirmation, that this node holds its share of the new group (reshare-confirm.ts).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { wipe } from '../../../core/bytes.ts';
import { blsGroup } from '../../../core/dkg/bls-group.ts';
import type { DkgGroup, Share } from '../../../core/dkg/group.ts';
import { decodeEnvelope } from '../../../core/protocol/envelope.ts';
import { newCommitments, newShare } from '../../../core/reshare/combine.ts';
import { checkDealing, type ReshareDealing } from '../../../core/reshare/deal.ts';
import { ReshareError } from '../../../core/reshare/errors.ts';
import { ciphertextCid } from '../../../plugins/custody/cipher.ts';
import { refuse } from '../../../plugins/custody/errors.ts';
import { indexOf, readGroup, type VerifiedGroup } from '../../../plugins/custody/group.ts';
import {
  type AcceptRequest,
  parseAcceptRequest,
  parseDealReply,
  reshareId,
  subshareAad,
} from '../../../plugins/custody/reshare-schema.ts';
import { PluginError } from '../errors.ts';
import type { OpenedRequest, PluginContext, PluginReply } from '../types.ts';
import { assertGroupFree, claimGroup, keepHolding } from './holding.ts';

const REPLY_TYPE = 'custody/order-reply';

/** One old holder's checked dealing and this node's subshare of it. */
interface Dealt {
  readonly node: CID;
  readonly dealing: ReshareDealing;
  readonly subshare: Share;
}

/** Both groups, checked against each other and the order; this node's index in the new one. */
async function checkedGroups(ctx: PluginContext, request: OpenedRequest, content: AcceptRequest) {
  const group = await readGroup(ctx.core.bls, content.group, async () => request.sender);
  const old = await readGroup(ctx.core.bls, content.reshared.from, async () => request.sender);
  const g = group.value;
  if (!g.reshares?.equals(old.cid)) refuse('bad_group', 'custody: the new group does not name the group it reshares');
  if (!g.beneficiary.equals(content.beneficiary) || !old.value.beneficiary.equals(content.beneficiary)) {
    refuse('bad_group', 'custody: the groups name another beneficiary');
  }
  const cipher = ciphertextCid(content.ciphertext);
  if (!g.ciphertext.equals(cipher) || !old.value.ciphertext.equals(cipher)) {
    refuse('bad_group', 'custody: the ciphertext is not the one both groups name');
  }
  const index = indexOf(g, ctx.node.cid);
  if (index === undefined) refuse('bad_group', 'custody: the new group does not list this node');
  return { group, old, index };
}

/** The order is sealed to this node and its beneficiary (the principal's intent), and the beneficiary is known. */
async function assertAddressed(ctx: PluginContext, request: OpenedRequest, beneficiary: CID): Promise<void> {
  const { recipients } = request.header;
  if (request.sealed === false || !recipients.some((r) => r.equals(beneficiary))) {
    throw new PluginError('bad_request', 'custody: an order is sealed to the node and its beneficiary (its intent)');
  }
  try {
    await ctx.identities.resolve(beneficiary);
  } catch {
    throw new PluginError('bad_request', `custody: the beneficiary ${beneficiary} is not known to this node`);
  }
}

function faultOf(i: number, node: CID, what: string): never {
  return refuse('bad_share', `custody: old node ${i} (${node}) ${what}`);
}

/** Opens dealing `bytes`: an old holder's signed deal reply for `reshare`, and this node's subshare in it. */
async function openDealing(
  ctx: PluginContext,
  request: OpenedRequest,
  bytes: Uint8Array,
  expect: { old: VerifiedGroup; group: VerifiedGroup; reshare: CID; index: number },
): Promise<Dealt> {
  let node: CID;
  try {
    node = decodeEnvelope(bytes).value.header.sender;
  } catch {
    refuse('malformed', 'custody: a dealing is not an envelope');
  }
  const i = indexOf(expect.old.value, node);
  if (i === undefined) refuse('bad_share', `custody: a dealing is signed by ${node}, not a node of the old group`);
  let part: OpenedRequest;
  try {
    part = await request.openPart!(bytes, node);
  } catch (e) {
    if ((e as { code?: unknown }).code === 'unknown_identity') throw e; // the principal registers the old holders
    return faultOf(i, node, 'sent a dealing that does not verify or does not open here');
  }
  if (part.header.type !== REPLY_TYPE) faultOf(i, node, `sent a "${part.header.type}", not a dealing`);
  let d: ReturnType<typeof parseDealReply>;
  try {
    d = parseDealReply(part.content);
  } catch {
    return faultOf(i, node, 'sent a dealing of another shape');
  }
  const n = expect.group.value.nodes.length;
  if (!d.reshare.equals(expect.reshare) || !d.group.equals(expect.old.cid) || d.index !== i) {
    faultOf(i, node, 'sent a dealing for another resharing, group or index');
  }
  if (d.subshares.length !== n) faultOf(i, node, `sealed ${d.subshares.length} subshares for ${n} new nodes`);
  const slot = {
    reshare: expect.reshare,
    dealer: node,
    holder: ctx.node.cid,
    dealerIndex: i,
    holderIndex: expect.index,
  };
  let value: Uint8Array;
  try {
    value = request.unseal!(subshareAad(slot), d.subshares[expect.index - 1]!);
  } catch {
    return faultOf(i, node, 'sealed a subshare that does not open for this node');
  }
  return { node, dealing: { index: i, commitments: d.commitments }, subshare: { index: i, value } };
}

/** Each dealing checked against the old commitments, each subshare against its dealing (naming any liar). */
function checkEach(group: DkgGroup, dealt: readonly Dealt[], old: VerifiedGroup, tNew: number, index: number): void {
  for (const { node, dealing, subshare } of dealt) {
    try {
      checkDealing(group, dealing, old.value.commitments, tNew);
    } catch (e) {
      if (e instanceof ReshareError) faultOf(dealing.index, node, 'dealt something else than its share');
      throw e;
    }
    const ok =
      group.isScalar(subshare.value) && group.verifyShare({ index, value: subshare.value }, dealing.commitments);
    if (!ok) faultOf(dealing.index, node, 'dealt a subshare that fails its commitments');
  }
}

/** This node's new share, after the new group's commitments are checked to be those the dealings give. */
function combine(group: DkgGroup, dealt: readonly Dealt[], old: VerifiedGroup, next: VerifiedGroup, index: number) {
  const dealings = dealt.map((d) => d.dealing);
  const distinct = new Set(dealings.map((d) => d.index)).size === dealings.length;
  if (!distinct || dealings.length < old.value.t) {
    refuse('malformed', `custody: ${dealings.length} dealings from distinct old holders, ${old.value.t} needed`);
  }
  checkEach(group, dealt, old, next.value.t, index);
  let commitments: Uint8Array[];
  try {
    commitments = newCommitments(group, old.value, dealings, next.value.t);
  } catch {
    refuse('bad_group', 'custody: the dealings do not keep the group key');
  }
  const same = next.value.commitments.every((c, k) => c.every((b, at) => b === commitments[k]![at]));
  if (!same) refuse('bad_group', "custody: the new group's commitments are not those the dealings give");
  const share = newShare(
    group,
    index,
    dealings,
    dealt.map((d) => d.subshare),
  );
  if (!group.verifyShare(share, next.value.commitments)) {
    wipe(share.value);
    refuse('bad_share', "custody: the combined share fails the new group's commitments");
  }
  return share.value;
}

/** The reply's readers: the principal, the beneficiary and every old holder this node knows (for confirmation). */
async function readersOf(ctx: PluginContext, principal: CID, old: VerifiedGroup): Promise<CID[]> {
  const readers = new Map([principal, old.value.beneficiary].map((c) => [c.toString(), c]));
  for (const node of old.value.nodes) {
    try {
      await ctx.identities.resolve(node);
      readers.set(node.toString(), node);
    } catch {
      // an old holder the principal did not register here is not confirmed through this reply
    }
  }
  return [...readers.values()];
}

/** custody/order { …, reshared }: keep this node's share of the new group, combined from the dealings. */
export async function reshareAcceptStep(ctx: PluginContext, request: OpenedRequest): Promise<PluginReply> {
  const content = parseAcceptRequest(request.content);
  await assertAddressed(ctx, request, content.beneficiary);
  if (!request.openPart || !request.unseal) throw new PluginError('bad_request', 'custody: cannot open dealings here');
  const { group, old, index } = await checkedGroups(ctx, request, content);
  const id = request.cid.toString();
  await assertGroupFree(ctx.keystore, group.cid, id);
  const reshare = reshareId(old.cid, group.value.nodes, group.value.t);
  const expect = { old, group, reshare, index };
  const dealt: Dealt[] = [];
  try {
    for (const bytes of content.reshared.dealings) dealt.push(await openDealing(ctx, request, bytes, expect));
    const share = combine(blsGroup(ctx.core), dealt, old, group, index);
    try {
      await claimGroup(ctx.keystore, group.cid, id);
      await keepHolding(ctx.keystore, id, { group: group.bytes, index, share, ciphertext: content.ciphertext });
    } finally {
      wipe(share);
    }
  } finally {
    wipe(...dealt.map((d) => d.subshare.value));
  }
  ctx.log.info('custody share kept from a resharing', { order: id, group: group.cid.toString(), index });
  const reply = { order: id, group: group.cid, index, beneficiary: content.beneficiary };
  const recipients = await readersOf(ctx, request.sender.cid, old);
  return { content: reply, recipients, beneficiary: content.beneficiary };
}
