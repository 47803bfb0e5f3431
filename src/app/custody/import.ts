/**
 * The beneficiary adds a custody group it was named in, on its own device, from the group's orders (as the
 * principal's order page lists them: "<order id>@<node identity>", one per node; bare order ids are looked for
 * on every node of the beneficiary's): each order is found among the beneficiary's nodes, its
 * chain verified, its first step opened (it is sealed to the node and the beneficiary) and the group document
 * inside it checked against the principal's signature. Every order must be of the same group and held by the
 * node the group gives it to; the group must name this identity. A node of the group the beneficiary has not
 * added, or whose order was not given, counts as holding nothing (retrieval works while t others answer).
 * @module
 */
import { CID } from 'multiformats/cid';
import type { Conditions } from '../../core/protocol/conditions.ts';
import { readGroup, type VerifiedGroup } from '../../plugins/custody/group.ts';
import { parseOrderRequest } from '../../plugins/custody/schema.ts';
import { type FlowsDeps, nowOf, requireSigner } from '../api/deps.ts';
import { InputError } from '../api/errors.ts';
import { nodeApiAt } from '../api/node-api.ts';
import { hasPlugin, type NodeRecord } from '../nodes/model.ts';
import { listNodes, sessionFor } from '../nodes/registry.ts';
import { conditionsIn, pluginContent, releaseRecordFor } from '../orders/conditions/record.ts';
import type { OrderRecord } from '../orders/model.ts';
import { putOrder } from '../orders/repo.ts';
import { verifiedOrder } from '../orders/verified.ts';
import type { CustodyMember, CustodySummary } from './summary.ts';

/** At most one order per possible node. */
const MAX_ORDERS = 255;

interface Found {
  readonly node: NodeRecord;
  readonly order: string;
  readonly group: VerifiedGroup;
  readonly redeemed: boolean;
  /** The release conditions in the principal's order, and the node's latest time that starts its switch. */
  readonly conditions?: Conditions;
  readonly since?: number;
}

/** One order to add: its id, and the identity of the node holding it when the principal's text names it. */
interface Wanted {
  readonly order: string;
  readonly node?: string;
}

function cidText(w: string): string {
  try {
    return CID.parse(w).toString();
  } catch {
    throw new InputError('orders', `"${w.slice(0, 20)}" is not an order id (they look like bafyrei…)`);
  }
}

/** The orders in `text`: "<order>@<node identity>" as the principal's page lists them, or bare order ids. */
function wantedOrders(text: string): Wanted[] {
  const words = text.split(/[\s,;]+/).filter((w) => w.length > 0);
  if (words.length === 0) throw new InputError('orders', "paste the group's orders from the principal");
  if (words.length > MAX_ORDERS) throw new InputError('orders', `at most ${MAX_ORDERS} orders`);
  const wanted = words.map((w) => {
    const [order, node] = w.split('@');
    return { order: cidText(order!), ...(node ? { node: cidText(node) } : {}) };
  });
  return wanted.filter((w, i) => wanted.findIndex((x) => x.order === w.order) === i);
}

/**
 * The node among `nodes` holding `w`: the one it names, else the one that has it (the others answer 404, or
 * are down); undefined when none does.
 */
async function holderOf(deps: FlowsDeps, nodes: readonly NodeRecord[], w: Wanted): Promise<NodeRecord | undefined> {
  if (w.node) return nodes.find((n) => n.identity === w.node);
  const answers = await Promise.all(
    nodes.map(async (n) => {
      try {
        await nodeApiAt(n.url, deps.fetch).order(w.order);
        return n;
      } catch {
        return undefined;
      }
    }),
  );
  return answers.find((n) => n !== undefined);
}

/** Order `id` at `node`: its chain verified, the group inside its first step (sealed to us) checked. */
async function readOrder(deps: FlowsDeps, node: NodeRecord, id: string): Promise<Found> {
  const session = await sessionFor(deps, node.url);
  const view = await session.api.order(id);
  const order = await verifiedOrder(session, (await deps.crypto()).bls, id, view.history);
  const me = session.me.identity.cid;
  if (order.plugin !== 'custody') throw new InputError('orders', `${id} is not a custody order`);
  if (order.beneficiary !== me.toString() || order.intent.kind !== 'intent' || !order.intent.content) {
    throw new InputError('orders', `the order ${id} does not name you as its beneficiary`);
  }
  const request = parseOrderRequest(pluginContent(order.intent.content));
  const conditions = conditionsIn(order.intent.content);
  const group = await readGroup((await deps.crypto()).bls, request.group, (p) => session.identity(p));
  if (!group.value.beneficiary.equals(me)) throw new InputError('orders', 'the group names another beneficiary');
  if (!group.value.nodes.some((n) => n.toString() === node.identity)) {
    throw new InputError('orders', `the group does not give a share to the node holding ${id}`);
  }
  const resets = new Set(['custody/order-reply', 'custody/check-in-reply']);
  const since = order.steps
    .map((e) => e.value.header)
    .filter((h) => resets.has(h.type) && h.sender.toString() === node.identity)
    .reduce<number | undefined>((latest, h) => Math.max(latest ?? 0, h.created), undefined);
  return {
    node,
    order: id,
    group,
    redeemed: order.status === 'redeemed',
    ...(conditions ? { conditions } : {}),
    ...(since !== undefined ? { since } : {}),
  };
}

/** The members of the group from what was found (a node with no order found holds nothing here). */
function membersOf(group: VerifiedGroup, found: readonly Found[]): CustodyMember[] {
  return group.value.nodes.map((cid, i) => {
    const f = found.find((x) => x.node.identity === cid.toString());
    const base = { index: i + 1, identity: cid.toString() };
    return f
      ? { ...base, url: f.node.url, name: f.node.name, order: f.order, state: 'holds' }
      : { ...base, url: '', name: 'a node you have not added', order: '', state: 'refused', reason: 'no order given' };
  });
}

/** Adds (or refreshes) the custody group of the given orders on this device, as its beneficiary. */
export async function importCustody(deps: FlowsDeps, text: string): Promise<OrderRecord> {
  const wanted = wantedOrders(text);
  const me = (await requireSigner(deps)).identity.cid.toString();
  const nodes = (await listNodes(deps)).filter((n) => hasPlugin(n, 'custody'));
  if (nodes.length === 0) throw new InputError('orders', 'add the nodes of the group under Nodes first');
  const found: Found[] = [];
  for (const w of wanted) {
    const node = await holderOf(deps, nodes, w);
    // A named node not added here holds nothing for this device; an unnamed order nobody has is a mistake.
    if (!node && w.node) continue;
    if (!node) throw new InputError('orders', `none of your nodes has the order ${w.order}`);
    found.push(await readOrder(deps, node, w.order));
  }
  if (found.length === 0) throw new InputError('orders', "add the group's nodes under Nodes first");
  const group = found[0]!.group;
  if (found.some((f) => !f.group.cid.equals(group.cid))) throw new InputError('orders', 'the orders are of two groups');
  const members = membersOf(group, found);
  const first = found.find((f) => f.node.identity === group.value.nodes[0]!.toString()) ?? found[0]!;
  const summary: CustodySummary = {
    kind: 'custody',
    group: group.cid.toString(),
    t: group.value.t,
    n: group.value.nodes.length,
    members,
    ...(group.value.label !== undefined ? { label: group.value.label } : {}),
  };
  const now = nowOf(deps);
  return putOrder(deps, {
    owner: me,
    id: first.order,
    plugin: 'custody',
    node: first.node.url,
    nodeIdentity: first.node.identity,
    principal: group.value.principal.toString(),
    beneficiary: me,
    role: group.value.principal.toString() === me ? 'both' : 'beneficiary',
    created: group.value.created,
    updated: now,
    state: found.every((f) => f.redeemed) ? 'redeemed' : 'open',
    summary,
    envelopes: [],
    intent: { kind: 'intent' },
    ...(group.value.label !== undefined ? { label: group.value.label } : {}),
    ...releaseOfFound(found, group.value.t),
  });
}

/** The group's release conditions as its orders carry them, with each node's time (for the beneficiary's page). */
function releaseOfFound(found: readonly Found[], t: number): Pick<OrderRecord, 'release'> {
  const conditions = found.find((f) => f.conditions)?.conditions;
  if (!conditions) return {};
  const holders = found.map((f) => ({ url: f.node.url, identity: f.node.identity, order: f.order, name: f.node.name }));
  const since = Object.fromEntries(found.flatMap((f) => (f.since !== undefined ? [[f.node.identity, f.since]] : [])));
  return { release: { ...releaseRecordFor(conditions, holders, t), since } };
}
