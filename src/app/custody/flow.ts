/**
 * The threshold custody flow (the custody plugin's client side, run in the worker): the principal picks n of
 * the added nodes and t, the worker deals the secret t-of-n and posts every node's order in parallel; the
 * group is stored (as one order record, named by the first node's order) before any node is asked, so an
 * order interrupted by a closed tab or a refusing node is completed later by posting the same bytes again.
 * The beneficiary retrieves from any t: each share is checked against the group's commitments in the
 * worker, and every node that lied or did not answer is named on the order page.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { wipe } from '../../core/bytes.ts';
import { cidOf } from '../../core/protocol/cbor.ts';
import type { Conditions } from '../../core/protocol/conditions.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { MAX_SECRET_BYTES } from '../../plugins/custody/cipher.ts';
import type { RetrievalProgress } from '../../plugins/custody/retrieve.ts';
import type {
  CustodyDealOut,
  CustodyNode,
  CustodyOrderProgress,
  CustodyPlaced,
  CustodyRetrieved,
} from '../../worker/api/custody.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError, NotReadyError } from '../api/errors.ts';
import { getNode } from '../nodes/registry.ts';
import { beneficiaryOnNode, parseIdentityCid } from '../orders/beneficiary.ts';
import { type ReleaseHolder, releaseRecordFor } from '../orders/conditions/record.ts';
import { isBeneficiary, type OrderRecord, roleOf } from '../orders/model.ts';
import { getOrder, putOrder, updateOrder } from '../orders/repo.ts';
import { type CustodyMember, type CustodySummary, custodySummaryOf, holding } from './summary.ts';

/** As the custody group document counts a label. */
const MAX_LABEL = 128;

export interface CustodyInput {
  /** The nodes' URLs, in share order. */
  readonly nodes: readonly string[];
  readonly t: number;
  /** "me", or the beneficiary's identity CID. */
  readonly beneficiary: string;
  /** The secret (copied; the caller wipes its own). */
  readonly secret: Uint8Array;
  readonly label?: string;
  /** Release conditions (src/app/orders/conditions/): the same in every node's order, each node enforcing its own. */
  readonly conditions?: Conditions;
}

function checkInput(input: CustodyInput): void {
  const n = input.nodes.length;
  if (n < 1) throw new InputError('nodes', 'choose at least one node');
  if (new Set(input.nodes).size !== n) throw new InputError('nodes', 'a node is chosen twice');
  if (!Number.isInteger(input.t) || input.t < 1 || input.t > n) {
    throw new InputError('threshold', `the threshold is a whole number from 1 to ${n} (the nodes chosen)`);
  }
  if (input.secret.length < 1 || input.secret.length > MAX_SECRET_BYTES) {
    throw new InputError('secret', `a secret is 1 to ${MAX_SECRET_BYTES} bytes`);
  }
  if (input.label !== undefined && input.label.length > MAX_LABEL) {
    throw new InputError('label', `a label has at most ${MAX_LABEL} characters`);
  }
}

/** The stored node at `url` as the worker takes it (its identity document is verified again there). */
export async function custodyNode(deps: FlowsDeps, url: string): Promise<CustodyNode & { readonly name: string }> {
  const node = await getNode(deps, url);
  if (!node) throw new NotReadyError(`the node ${url} is not in this app any more: add it under Nodes`);
  return { url: node.url, identity: node.identity, document: node.document, name: node.name };
}

/** The beneficiary's identity as one of the chosen nodes knows it (the first that does). */
async function beneficiaryOf(deps: FlowsDeps, nodes: readonly string[], cid: CID): Promise<Verified<IdentityDocument>> {
  let refusal: unknown;
  for (const url of nodes) {
    try {
      return await beneficiaryOnNode(deps, url, cid);
    } catch (e) {
      refusal ??= e;
    }
  }
  throw refusal;
}

/** Members before any node answered: every node with its index and its order, being sealed. */
function membersOf(nodes: readonly (CustodyNode & { name: string })[], deal: CustodyDealOut): CustodyMember[] {
  return nodes.map((n, i) => ({
    index: i + 1,
    url: n.url,
    identity: n.identity,
    name: n.name,
    order: deal.requests[i]!.cid,
    state: 'sent',
  }));
}

/** Where the group's release conditions are enforced: every node, with the order it holds. */
function holdersOf(nodes: readonly (CustodyNode & { name: string })[], deal: CustodyDealOut): ReleaseHolder[] {
  return nodes.map((n, i) => ({ url: n.url, identity: n.identity, order: deal.requests[i]!.cid, name: n.name }));
}

/** The members after a placing: who holds (now, or from before: a node that committed keeps its share). */
function afterPlacing(members: readonly CustodyMember[], placed: CustodyPlaced): CustodyMember[] {
  return members.map((m) => {
    if (placed.placed.some((p) => p.index === m.index)) return { ...m, state: 'holds' };
    const refused = placed.refused.find((r) => r.index === m.index);
    if (m.state === 'holds' || !refused) return m;
    return { ...m, state: 'refused', reason: refused.reason };
  });
}

/** The record's state and error from its group: open once t nodes hold (retrievable), failed below. */
function stateOf(s: CustodySummary): Pick<OrderRecord, 'state' | 'error'> {
  const held = holding(s);
  if (held === s.n) return { state: 'open' };
  const error = `${held} of ${s.n} nodes hold their share: complete the order once the others answer`;
  return { state: held >= s.t ? 'open' : 'failed', error };
}

function withMembers(o: OrderRecord, members: CustodyMember[], now: number): OrderRecord {
  const summary = { ...custodySummaryOf(o)!, members };
  const { error: _, ...rest } = o;
  return { ...rest, ...stateOf(summary), summary, updated: now };
}

/** Deals and orders a secret t-of-n over the chosen nodes; resolves with the stored record (even incomplete). */
export async function orderCustody(
  deps: FlowsDeps,
  input: CustodyInput,
  onProgress?: (p: CustodyOrderProgress) => void,
): Promise<OrderRecord> {
  checkInput(input);
  const me = await requireSigner(deps);
  const nodes = await Promise.all(input.nodes.map((url) => custodyNode(deps, url)));
  const cid = input.beneficiary === 'me' ? me.identity.cid : parseIdentityCid(input.beneficiary);
  const beneficiary = cid.equals(me.identity.cid) ? me.identity : await beneficiaryOf(deps, input.nodes, cid);
  const owner = me.identity.cid.toString();
  const label = input.label?.trim() || undefined;
  let id = '';
  // Stored once dealt and before any node is asked: the group and the orders to post again are never lost.
  const beforePlacing = async (deal: CustodyDealOut) => {
    const now = nowOf(deps);
    id = deal.requests[0]!.cid;
    const summary: CustodySummary = {
      kind: 'custody',
      group: cidOf(deal.group).toString(),
      t: input.t,
      n: nodes.length,
      members: membersOf(nodes, deal),
      document: deal.group,
      deal,
      ...(label ? { label } : {}),
    };
    await putOrder(deps, {
      owner,
      id,
      plugin: 'custody',
      node: nodes[0]!.url,
      nodeIdentity: nodes[0]!.identity,
      principal: owner,
      beneficiary: cid.toString(),
      role: roleOf(owner, owner, cid.toString())!,
      created: now,
      updated: now,
      state: 'sending',
      summary,
      envelopes: [],
      intent: { kind: 'intent' },
      ...(label ? { label } : {}),
      ...(input.conditions ? { release: releaseRecordFor(input.conditions, holdersOf(nodes, deal), input.t) } : {}),
    });
  };
  const secret = Uint8Array.from(input.secret);
  const placed = await (await deps.crypto()).custody
    .order(
      {
        nodes: nodes.map(({ url, identity, document }) => ({ url, identity, document })),
        beneficiary: beneficiary.bytes,
        secret,
        t: input.t,
        ...(label ? { label } : {}),
        ...(input.conditions ? { conditions: input.conditions } : {}),
      },
      onProgress,
      beforePlacing,
    )
    .finally(() => wipe(secret)); // the worker got its own copy (and wipes it once sealed)
  return updateOrder(deps, owner, id, (o) =>
    withMembers(o, afterPlacing(custodySummaryOf(o)!.members, placed), nowOf(deps)),
  );
}

/** The group and the nodes of a stored custody order of this identity. */
export async function groupOf(deps: FlowsDeps, id: string): Promise<{ order: OrderRecord; summary: CustodySummary }> {
  const me = await requireSigner(deps);
  const order = await getOrder(deps, me.identity.cid.toString(), id);
  const summary = custodySummaryOf(order);
  if (!summary) throw new InputError('order', 'this order is not a custody group');
  return { order, summary };
}

/** Posts the orders of the nodes that do not hold their share again (the same bytes); the others keep theirs. */
export async function completeCustody(
  deps: FlowsDeps,
  id: string,
  onProgress?: (p: CustodyOrderProgress) => void,
): Promise<OrderRecord> {
  const { order, summary } = await groupOf(deps, id);
  if (order.principal !== order.owner) throw new InputError('order', 'only the principal can complete this order');
  const deal = summary.deal;
  if (!deal) throw new InputError('order', 'this device does not keep the dealt orders of this group');
  const nodes = await Promise.all(summary.members.map((m) => custodyNode(deps, m.url)));
  const placed = await (await deps.crypto()).custody.place(
    { nodes: nodes.map(({ url, identity, document }) => ({ url, identity, document })), deal },
    onProgress,
  );
  return updateOrder(deps, order.owner, id, (o) =>
    withMembers(o, afterPlacing(custodySummaryOf(o)!.members, placed), nowOf(deps)),
  );
}

/** The members with what each gave at a retrieval (every node asked; those not heard from failed). */
function afterRetrieval(members: readonly CustodyMember[], heard: ReadonlyMap<string, RetrievalProgress>) {
  return members.map((m): CustodyMember => {
    if (m.state !== 'holds') return m; // not asked: it holds nothing
    const p = heard.get(m.identity);
    if (!p || p.state === 'sent') return { ...m, answer: { state: 'failed', reason: 'did not answer' } };
    if (p.state === 'good') return { ...m, answer: { state: 'good' } };
    return { ...m, answer: { state: p.state, reason: p.reason } };
  });
}

/**
 * Retrieves the secret as the beneficiary from every node that holds a share, in parallel; the outcome of each
 * node is stored on the order (good, lied, down) whether or not t good shares came back. The caller wipes the
 * secret when done.
 */
export async function retrieveCustody(
  deps: FlowsDeps,
  id: string,
  onProgress?: (p: RetrievalProgress) => void,
): Promise<CustodyRetrieved> {
  const { order, summary } = await groupOf(deps, id);
  if (!isBeneficiary(order)) throw new InputError('order', 'only the beneficiary of this group can retrieve it');
  const asked = summary.members.filter((m) => m.state === 'holds');
  const nodes = await Promise.all(asked.map((m) => custodyNode(deps, m.url)));
  const heard = new Map<string, RetrievalProgress>();
  const record = (p: RetrievalProgress) => {
    heard.set(p.node, p);
    onProgress?.(p);
  };
  const store = (state: OrderRecord['state']) =>
    updateOrder(deps, order.owner, id, (o) => {
      const s = custodySummaryOf(o)!;
      const members = afterRetrieval(s.members, heard);
      return { ...o, state, summary: { ...s, members, retrievedAt: nowOf(deps) }, updated: nowOf(deps) };
    });
  try {
    const got = await (await deps.crypto()).custody.retrieve(
      {
        holders: nodes.map(({ url, identity, document }, i) => ({
          node: { url, identity, document },
          order: asked[i]!.order,
        })),
        group: summary.group,
      },
      record,
    );
    await store('redeemed');
    return got;
  } catch (e) {
    await store(order.state);
    throw e;
  }
}
