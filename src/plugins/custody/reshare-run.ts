/**
 * The principal's side of resharing a custody group (docs/protocol.md#resharing-a-custody-group), over real nodes:
 *   1. makes every party known where it must be (the new committee at the old holders, the old holders and the
 *      beneficiary at the new nodes);
 *   2. asks old holders, t at a time in the group's order, to deal their share to the new committee, replacing
 *      one that fails or deals something else than its share by the next, until t dealt;
 *   3. computes the new commitments (public: core/reshare/combine.ts), signs the new group document (same
 *      beneficiary and ciphertext, the new nodes, t', a field naming the group it reshares) and places an order
 *      at every new node, in parallel, carrying the t dealings; a node refuses a bad dealing naming the old node;
 *   4. once all n' new nodes hold their share, shows their signed replies to every old holder reachable, which
 *      then deletes its old share. Nothing is confirmed while one new node is missing: the old shares stay.
 * The secret is never reconstructed, here or anywhere; the principal sees public commitments and sealed
 * subshares only. A periodic refresh is the same call with the same committee as the new one.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { NodeSession, StepResult } from '../../core/api/session.ts';
import { fromBase64 } from '../../core/bytes.ts';
import { blsGroup } from '../../core/dkg/bls-group.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { newCommitments } from '../../core/reshare/combine.ts';
import { checkDealing, type ReshareDealing } from '../../core/reshare/deal.ts';
import type { Core } from '../../core/types.ts';
import { ciphertextCid } from './cipher.ts';
import type { CustodyDeal, GroupSigner } from './deal.ts';
import { CustodyError, refuse } from './errors.ts';
import { createGroup, indexOf, MAX_NODES, type VerifiedGroup } from './group.ts';
import { reasonOf } from './order.ts';
import { verifyOrderReply } from './reply.ts';
import { parseConfirmReply, parseDealReply, reshareId } from './reshare-schema.ts';

const ORDER_TYPE = 'custody/order';

export interface ReshareProgress {
  readonly step: 'deal' | 'place' | 'confirm';
  readonly done: number;
  readonly of: number;
  /** The node a failure is about, with the reason. */
  readonly failed?: { readonly node: string; readonly reason: string };
}

export interface ReshareOptions {
  /** The core (the new commitments are sums of points) and the principal's group signer (Contract C adds both). */
  readonly core: Core;
  readonly sign: GroupSigner;
  /** Sessions, as the group's principal, with the old holders that answer (any order). */
  readonly sessions: readonly NodeSession[];
  readonly group: VerifiedGroup;
  /** Sessions, as the same principal, with the new committee, in the new group's order. */
  readonly newNodes: readonly NodeSession[];
  readonly t: number;
  readonly onProgress?: (p: ReshareProgress) => void;
  /** Runs once the new nodes' orders are written, before any is posted (the same shape as a dealt group). */
  readonly beforePlacing?: (deal: CustodyDeal) => Promise<void>;
}

/** A new node's placed order, to read its reply back. */
export interface PlacedOrder {
  readonly session: NodeSession;
  readonly order: string;
}

export interface Reshared {
  readonly group: VerifiedGroup;
  /** The new nodes' orders, in the new group's order. */
  readonly orders: string[];
  /** Old holders that deleted their share, and those that could not be told (their share stays, useless alone). */
  readonly confirmed: string[];
  readonly unconfirmed: { readonly node: string; readonly reason: string }[];
}

/** Fewer than n' new nodes took their share: nothing was confirmed, every old share is kept. */
export class ReshareIncompleteError extends CustodyError {
  override name = 'ReshareIncompleteError';
  readonly refused: readonly { readonly node: string; readonly reason: string }[];
  constructor(message: string, refused: ReshareIncompleteError['refused']) {
    super('incomplete', message);
    this.refused = refused;
  }
}

/** One old holder's dealing: its index, its signed reply (forwarded to the new nodes) and its commitments. */
interface Dealt {
  readonly dealing: ReshareDealing;
  readonly envelope: Uint8Array;
  readonly ciphertext: Uint8Array;
}

function assertInput(o: ReshareOptions): void {
  const principal = o.group.value.principal;
  const all = [...o.sessions, ...o.newNodes];
  if (all.some((s) => !s.me.identity.cid.equals(principal)))
    refuse('malformed', "custody: the group's principal reshares");
  if (o.sessions.some((s) => indexOf(o.group.value, s.node.cid) === undefined)) {
    refuse('malformed', 'custody: an old session is with a node that is not in the group');
  }
  const n = o.newNodes.length;
  if (n < 1 || n > MAX_NODES) refuse('malformed', `custody: 1..${MAX_NODES} new nodes, got ${n}`);
  if (new Set(o.newNodes.map((s) => s.node.cid.toString())).size !== n)
    refuse('malformed', 'custody: a new node twice');
  if (!Number.isInteger(o.t) || o.t < 1 || o.t > n) refuse('malformed', `custody: t' must be 1..${n}, got ${o.t}`);
}

/** Registers what each node must resolve: the principal everywhere, the other committee, the beneficiary. */
async function registerAll(o: ReshareOptions, beneficiary: Verified<IdentityDocument>): Promise<void> {
  const registerEach = async (session: NodeSession, docs: readonly Uint8Array[]) => {
    await Promise.all([session.register(), ...docs.map((doc) => session.api.registerIdentity(doc))]);
  };
  const newDocs = o.newNodes.map((s) => s.node.bytes);
  const oldDocs = [beneficiary.bytes, ...o.sessions.map((s) => s.node.bytes)];
  await Promise.all([
    ...o.sessions.map((s) => registerEach(s, newDocs)),
    ...o.newNodes.map((s) => registerEach(s, oldDocs)),
  ]);
}

/** Asks one old holder to deal; its reply checked: this resharing, its index, its share (G_i,0 = X_i). */
async function dealAt(o: ReshareOptions, session: NodeSession, reshare: CID): Promise<Dealt> {
  const index = indexOf(o.group.value, session.node.cid) as number;
  const content = { reshareDeal: { group: o.group.cid, nodes: o.newNodes.map((s) => s.node.bytes), t: o.t } };
  const request = await session.request({ type: ORDER_TYPE, content, intentFor: session.me.identity });
  const result: StepResult = await session.postOrder(request);
  const d = parseDealReply(result.content);
  if (!d.reshare.equals(reshare) || !d.group.equals(o.group.cid) || d.index !== index) {
    refuse('mismatch', 'custody: the dealing is for another resharing, group or index');
  }
  if (!ciphertextCid(d.ciphertext).equals(o.group.value.ciphertext)) refuse('mismatch', 'custody: another ciphertext');
  const dealing = { index, commitments: d.commitments };
  checkDealing(blsGroup(o.core), dealing, o.group.value.commitments, o.t);
  return { dealing, envelope: result.envelope.bytes, ciphertext: d.ciphertext };
}

/** t dealings from the old holders, in the group's order, the next one asked in place of one that fails. */
async function collectDealings(o: ReshareOptions, reshare: CID): Promise<Dealt[]> {
  const byIndex = [...o.sessions].sort(
    (a, b) => (indexOf(o.group.value, a.node.cid) ?? 0) - (indexOf(o.group.value, b.node.cid) ?? 0),
  );
  const need = o.group.value.t;
  const dealt: Dealt[] = [];
  const failed: { node: string; reason: string }[] = [];
  let next = 0;
  while (dealt.length < need && next < byIndex.length) {
    const batch = byIndex.slice(next, next + need - dealt.length);
    next += batch.length;
    const outcomes = await Promise.allSettled(batch.map((s) => dealAt(o, s, reshare)));
    outcomes.forEach((r, k) => {
      if (r.status === 'fulfilled') dealt.push(r.value);
      else {
        const failure = { node: batch[k]!.node.cid.toString(), reason: reasonOf(r.reason) };
        failed.push(failure);
        o.onProgress?.({ step: 'deal', done: dealt.length, of: need, failed: failure });
      }
    });
    o.onProgress?.({ step: 'deal', done: dealt.length, of: need });
  }
  if (dealt.length < need) {
    const named = failed.map((f) => `${f.node}: ${f.reason}`).join('; ');
    throw new ReshareIncompleteError(`custody: ${dealt.length} old holders dealt, ${need} needed (${named})`, failed);
  }
  return dealt.sort((a, b) => a.dealing.index - b.dealing.index);
}

/** The new group document: the old one's beneficiary, ciphertext and label, the new nodes, t', C'. */
function newGroup(o: ReshareOptions, dealt: readonly Dealt[]): Promise<VerifiedGroup> {
  const old = o.group.value;
  const dealings = dealt.map((d) => d.dealing);
  const commitments = newCommitments(blsGroup(o.core), old, dealings, o.t);
  const fields = {
    principal: old.principal,
    beneficiary: old.beneficiary,
    nodes: o.newNodes.map((s) => s.node.cid),
    t: o.t,
    commitments,
    ciphertext: old.ciphertext,
    reshares: o.group.cid,
    ...(old.label !== undefined ? { label: old.label } : {}),
  };
  return createGroup(fields, o.sign);
}

/** Every new node's order, written before any is posted (a CustodyDeal: `dta custody order --resume` reposts it). */
async function placement(
  o: ReshareOptions,
  group: VerifiedGroup,
  dealt: readonly Dealt[],
  beneficiary: Verified<IdentityDocument>,
): Promise<CustodyDeal> {
  const ciphertext = dealt[0]!.ciphertext;
  const content = {
    beneficiary: beneficiary.cid,
    group: group.bytes,
    ciphertext,
    reshared: { from: o.group.bytes, dealings: dealt.map((d) => d.envelope) },
  };
  const requests = await Promise.all(
    o.newNodes.map((session) => session.request({ type: ORDER_TYPE, content, intentFor: beneficiary })),
  );
  return { group, beneficiary, ciphertext, requests };
}

/** Places the order at every new node in parallel; each node's signed reply, or ReshareIncompleteError. */
async function placeAll(o: ReshareOptions, deal: CustodyDeal) {
  let done = 0;
  const outcomes = await Promise.allSettled(
    o.newNodes.map(async (session, i) => {
      const request = deal.requests[i]!;
      const result = await session.postOrder(request);
      const order = request.cid.toString();
      const expected = { order, group: deal.group.cid, index: i + 1, beneficiary: deal.beneficiary.cid };
      verifyOrderReply(result.content, expected);
      o.onProgress?.({ step: 'place', done: ++done, of: o.newNodes.length });
      return { order, envelope: result.envelope.bytes };
    }),
  );
  const refused = outcomes.flatMap((r, i) =>
    r.status === 'rejected' ? [{ node: o.newNodes[i]!.node.cid.toString(), reason: reasonOf(r.reason) }] : [],
  );
  if (refused.length > 0) {
    const named = refused.map((r) => `${r.node}: ${r.reason}`).join('; ');
    const n = o.newNodes.length;
    throw new ReshareIncompleteError(
      `custody: ${done} of ${n} new nodes hold their share, nothing confirmed (${named})`,
      refused,
    );
  }
  return outcomes.map((r) => (r as PromiseFulfilledResult<{ order: string; envelope: Uint8Array }>).value);
}

/** Shows the new nodes' replies to every old holder; each deletes its share. */
type ConfirmOptions = Pick<ReshareOptions, 'sessions' | 'group' | 'onProgress'>;

async function confirmAll(o: ConfirmOptions, group: VerifiedGroup, accepted: Uint8Array[]) {
  const content = { reshareConfirm: { group: group.bytes, accepted } };
  const confirmed: string[] = [];
  const unconfirmed: { node: string; reason: string }[] = [];
  await Promise.all(
    o.sessions.map(async (session) => {
      const node = session.node.cid.toString();
      try {
        const request = await session.request({ type: ORDER_TYPE, content, intentFor: session.me.identity });
        const reply = parseConfirmReply((await session.postOrder(request)).content);
        if (!reply.to.equals(group.cid) || !reply.from.equals(o.group.cid))
          refuse('mismatch', 'custody: moved elsewhere');
        confirmed.push(node);
      } catch (e) {
        unconfirmed.push({ node, reason: reasonOf(e) });
      }
      o.onProgress?.({ step: 'confirm', done: confirmed.length, of: o.sessions.length });
    }),
  );
  return { confirmed, unconfirmed };
}

/**
 * Step 4 alone, for a resharing whose new orders were all placed but not confirmed (`dta custody reshare --resume`):
 * each new node's signed reply is read back from its order's history and shown to every old holder of `sessions`.
 */
export async function confirmResharing(
  o: ConfirmOptions & { readonly newGroup: VerifiedGroup; readonly placed: readonly PlacedOrder[] },
): Promise<Pick<Reshared, 'confirmed' | 'unconfirmed'>> {
  const accepted = await Promise.all(
    o.placed.map(async ({ session, order }) => {
      const reply = (await session.api.order(order)).history[1];
      if (!reply) refuse('incomplete', `custody: the order ${order} has no reply at ${session.node.cid}`);
      return fromBase64(reply.envelope, 'order reply');
    }),
  );
  return confirmAll(o, o.newGroup, accepted);
}

/** Reshares `group` from the old holders of `sessions` to the committee of `newNodes`, t'-of-n' (see above). */
export async function reshareGroup(o: ReshareOptions): Promise<Reshared> {
  assertInput(o);
  if (o.sessions.length === 0) refuse('malformed', 'custody: no old holder to deal');
  const beneficiary = await o.sessions[0]!.identity(o.group.value.beneficiary);
  await registerAll(o, beneficiary);
  const reshare = reshareId(
    o.group.cid,
    o.newNodes.map((s) => s.node.cid),
    o.t,
  );
  const dealt = await collectDealings(o, reshare);
  const group = await newGroup(o, dealt);
  const deal = await placement(o, group, dealt, beneficiary);
  await o.beforePlacing?.(deal); // e.g. the CLI's receipt, durable before any new node is asked
  const placed = await placeAll(o, deal);
  const confirmation = await confirmAll(
    o,
    group,
    placed.map((p) => p.envelope),
  );
  return { group, orders: placed.map((p) => p.order), ...confirmation };
}
