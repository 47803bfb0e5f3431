/**
 * Binding a finished DKG (purpose "custody:…") to custody orders, one per node, all in parallel: the requester
 * writes each node's `{ dkg, beneficiary }` order with its intent (sealed to the node and the beneficiary), posts
 * it (the same bytes again on a retry), and checks the reply: this order, this session, the node's index in the
 * session, the beneficiary, and the group key the DKG gave. Progress per node as order.ts reports it. Fewer
 * than n orders placed: CustodyDkgIncompleteError, holding the requests to post again once the nodes are back.
 * @module
 */
import type { CallOptions } from '../../core/api/node-api.ts';
import type { NodeSession, SentRequest } from '../../core/api/session.ts';
import { equalBytes } from '../../core/bytes.ts';
import type { DkgSession } from '../../core/dkg/messages.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { parseDkgOrderReply } from './dkg-schema.ts';
import { CustodyError, refuse } from './errors.ts';
import { type PlacedOrder, type PlaceOptions, reasonOf } from './order.ts';

const ORDER_TYPE = 'custody/order';

/** What the requester binds: the DKG it ran (its session and group key) and who may retrieve the key. */
export interface DkgCustodyInput {
  readonly session: Verified<DkgSession>;
  readonly groupKey: Uint8Array;
  /** The group's Feldman commitments as the DKG gave them (first = groupKey): what the beneficiary checks with. */
  readonly commitments: readonly Uint8Array[];
  readonly beneficiary: Verified<IdentityDocument>;
}

/** The orders written: requests[i] goes to session.value.nodes[i]. */
export interface DkgCustodyDeal extends DkgCustodyInput {
  readonly requests: readonly SentRequest[];
}

/** Fewer than n nodes bound their share: which did, which did not (and why), and the requests to post again. */
export class CustodyDkgIncompleteError extends CustodyError {
  override name = 'CustodyDkgIncompleteError';
  readonly deal: DkgCustodyDeal;
  readonly placed: readonly PlacedOrder[];
  readonly refused: readonly { readonly node: string; readonly index: number; readonly reason: string }[];
  constructor(deal: DkgCustodyDeal, placed: PlacedOrder[], refused: CustodyDkgIncompleteError['refused']) {
    const missing = refused.map((r) => `node ${r.index} (${r.node}): ${r.reason}`).join('; ');
    super('incomplete', `custody: ${placed.length} of ${deal.requests.length} nodes bound the key; not yet ${missing}`);
    this.deal = deal;
    this.placed = placed;
    this.refused = refused;
  }
}

function assertSessions(sessions: readonly NodeSession[], session: Verified<DkgSession>): void {
  const nodes = session.value.nodes;
  if (sessions.length !== nodes.length || sessions.some((s, i) => !s.node.cid.equals(nodes[i]!))) {
    refuse('malformed', "custody: the sessions are not with the DKG's nodes, in its order");
  }
}

/** Writes every node's order (no node is asked yet): the bytes a receipt keeps and a resumed order posts. */
export async function writeDkgOrders(
  sessions: readonly NodeSession[],
  input: DkgCustodyInput,
): Promise<DkgCustodyDeal> {
  assertSessions(sessions, input.session);
  const content = { dkg: input.session.cid, beneficiary: input.beneficiary.cid };
  const requests = await Promise.all(
    sessions.map((s) => s.request({ type: ORDER_TYPE, content, intentFor: input.beneficiary })),
  );
  return { ...input, requests };
}

async function placeOne(deal: DkgCustodyDeal, session: NodeSession, i: number, options: CallOptions) {
  await session.register(options);
  await session.api.registerIdentity(deal.beneficiary.bytes, options);
  const request = deal.requests[i]!;
  const r = parseDkgOrderReply((await session.postOrder(request, options)).content);
  const order = request.cid.toString();
  if (r.order !== order) refuse('mismatch', 'custody reply: names another order');
  if (!r.dkg.equals(deal.session.cid)) refuse('mismatch', 'custody reply: names another DKG session');
  if (r.index !== i + 1) refuse('mismatch', `custody reply: index ${r.index}, the session says ${i + 1}`);
  if (!r.beneficiary.equals(deal.beneficiary.cid)) refuse('mismatch', 'custody reply: names another beneficiary');
  if (!equalBytes(r.groupKey, deal.groupKey)) refuse('mismatch', 'custody reply: another group key than the DKG gave');
  return { node: session.node.cid.toString(), index: i + 1, order };
}

/** Posts every node's order of `deal` in parallel; resolves with the n placed orders or throws naming the rest. */
export async function placeDkgOrders(
  deal: DkgCustodyDeal,
  sessions: readonly NodeSession[],
  options: PlaceOptions = {},
): Promise<PlacedOrder[]> {
  const { onProgress, ...call } = options;
  assertSessions(sessions, deal.session);
  const outcomes = await Promise.all(
    sessions.map(async (session, i) => {
      const node = session.node.cid.toString();
      onProgress?.({ node, index: i + 1, state: 'sent' });
      try {
        const placed = await placeOne(deal, session, i, call);
        onProgress?.({ ...placed, state: 'committed' });
        return placed;
      } catch (e) {
        onProgress?.({ node, index: i + 1, state: 'refused', reason: reasonOf(e) });
        return { node, index: i + 1, reason: reasonOf(e) };
      }
    }),
  );
  const placed = outcomes.filter((o): o is PlacedOrder => 'order' in o);
  const refused = outcomes.filter((o) => 'reason' in o) as CustodyDkgIncompleteError['refused'];
  if (refused.length > 0) throw new CustodyDkgIncompleteError(deal, placed, [...refused]);
  return placed;
}

/** Writes and places the n orders binding a finished DKG; `beforePlacing` runs between (e.g. a durable receipt). */
export async function custodyDkgOrder(
  sessions: readonly NodeSession[],
  input: DkgCustodyInput,
  options: PlaceOptions & { readonly beforePlacing?: (deal: DkgCustodyDeal) => Promise<void> } = {},
): Promise<{ deal: DkgCustodyDeal; placed: PlacedOrder[] }> {
  const { beforePlacing, ...place } = options;
  const deal = await writeDkgOrders(sessions, input);
  await beforePlacing?.(deal);
  return { deal, placed: await placeDkgOrders(deal, sessions, place) };
}
