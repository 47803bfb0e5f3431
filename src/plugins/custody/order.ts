/**
 * Placing a dealt custody group with its n nodes, all in parallel: each node's order is posted once (the same
 * bytes again on a retry), its reply checked (reply.ts), and progress reported per node (sent, committed,
 * refused with the reason). When fewer than n nodes hold their share the order is incomplete: the error says
 * which nodes did not accept and why, and carries the deal, whose requests can be posted again (to the same
 * nodes, once they are back) with {@link placeCustodyOrders}: a node that committed answers 409 replay and its
 * reply is read back; one that crashed before committing runs the same request again and keeps the same share.
 * @module
 */
import type { CallOptions } from '../../core/api/node-api.ts';
import type { NodeSession, StepResult } from '../../core/api/session.ts';
import type { Core } from '../../core/types.ts';
import { type CustodyDeal, type CustodyOrderInput, dealCustody, type GroupSigner } from './deal.ts';
import { CustodyError } from './errors.ts';
import { verifyOrderReply } from './reply.ts';

/** One node's progress: its identity CID, its share index, and what happened. */
export type NodeProgress =
  | { readonly node: string; readonly index: number; readonly state: 'sent' }
  | { readonly node: string; readonly index: number; readonly state: 'committed'; readonly order: string }
  | { readonly node: string; readonly index: number; readonly state: 'refused'; readonly reason: string };

export interface PlaceOptions extends CallOptions {
  readonly onProgress?: (progress: NodeProgress) => void;
}

/** A node that holds its share: where, and the order to redeem there. */
export interface PlacedOrder {
  readonly node: string;
  readonly index: number;
  readonly order: string;
}

/** Fewer than n nodes accepted their share: which did, which did not (with the reason), and the deal to retry. */
export class CustodyIncompleteError extends CustodyError {
  override name = 'CustodyIncompleteError';
  readonly deal: CustodyDeal;
  readonly placed: readonly PlacedOrder[];
  readonly refused: readonly { readonly node: string; readonly index: number; readonly reason: string }[];
  constructor(deal: CustodyDeal, placed: PlacedOrder[], refused: CustodyIncompleteError['refused']) {
    const n = deal.group.value.nodes.length;
    const missing = refused.map((r) => `node ${r.index} (${r.node}): ${r.reason}`).join('; ');
    super('incomplete', `custody: ${placed.length} of ${n} nodes hold their share; not yet ${missing}`);
    this.deal = deal;
    this.placed = placed;
    this.refused = refused;
  }
}

/** A readable reason from a failed step (a node's error code and message, or the client's own). */
export function reasonOf(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

/** The identities registered through each session already (a long-lived client asks once, not per order). */
const registered = new WeakMap<NodeSession, Set<string>>();

/** Makes the principal and the beneficiary known to the node (idempotent there; once per session here). */
async function registerBoth(session: NodeSession, deal: CustodyDeal, options?: CallOptions): Promise<void> {
  const known = registered.get(session) ?? new Set<string>();
  registered.set(session, known);
  const beneficiary = deal.beneficiary.cid.toString();
  if (!known.has('')) await session.register(options); // '' stands for the session's own identity
  known.add('');
  if (!known.has(beneficiary)) await session.api.registerIdentity(deal.beneficiary.bytes, options);
  known.add(beneficiary);
}

/** Registers the principal and the beneficiary with the node, then posts the order. */
async function postOne(session: NodeSession, deal: CustodyDeal, i: number, options?: CallOptions) {
  await registerBoth(session, deal, options);
  return session.postOrder(deal.requests[i]!, options);
}

function checkReply(deal: CustodyDeal, i: number, result: StepResult): PlacedOrder {
  const node = deal.group.value.nodes[i]!.toString();
  const order = deal.requests[i]!.cid.toString();
  verifyOrderReply(result.content, { order, group: deal.group.cid, index: i + 1, beneficiary: deal.beneficiary.cid });
  return { node, index: i + 1, order };
}

/**
 * Posts every node's order of `deal` in parallel; `sessions` are with the group's nodes in the group's order.
 * Resolves with the n placed orders, or throws CustodyIncompleteError naming the nodes left.
 */
export async function placeCustodyOrders(
  deal: CustodyDeal,
  sessions: readonly NodeSession[],
  options: PlaceOptions = {},
): Promise<PlacedOrder[]> {
  const { onProgress, ...call } = options;
  const nodes = deal.group.value.nodes;
  if (sessions.length !== nodes.length || sessions.some((s, i) => !s.node.cid.equals(nodes[i]!))) {
    throw new CustodyError('malformed', "custody: the sessions are not with the group's nodes, in its order");
  }
  const outcomes = await Promise.all(
    sessions.map(async (session, i) => {
      const node = nodes[i]!.toString();
      onProgress?.({ node, index: i + 1, state: 'sent' });
      try {
        const placed = checkReply(deal, i, await postOne(session, deal, i, call));
        onProgress?.({ ...placed, state: 'committed' });
        return placed;
      } catch (e) {
        const reason = reasonOf(e);
        onProgress?.({ node, index: i + 1, state: 'refused', reason });
        return { node, index: i + 1, reason };
      }
    }),
  );
  const placed = outcomes.filter((o): o is PlacedOrder => 'order' in o);
  const refused = outcomes.filter((o) => 'reason' in o) as CustodyIncompleteError['refused'];
  if (refused.length > 0) throw new CustodyIncompleteError(deal, placed, [...refused]);
  return placed;
}

/**
 * Deals the secret over the nodes of `sessions` and places every node's order in parallel (see above);
 * `beforePlacing` runs once the requests are written and before any is posted.
 */
export async function custodyOrder(
  core: Core,
  sessions: readonly NodeSession[],
  sign: GroupSigner,
  input: CustodyOrderInput,
  options: PlaceOptions & { readonly beforePlacing?: (deal: CustodyDeal) => Promise<void> } = {},
): Promise<{ deal: CustodyDeal; placed: PlacedOrder[] }> {
  const { beforePlacing, ...place } = options;
  const deal = await dealCustody(core, sessions, sign, input);
  await beforePlacing?.(deal); // e.g. the CLI's receipt, durable before any node is asked
  return { deal, placed: await placeCustodyOrders(deal, sessions, place) };
}
