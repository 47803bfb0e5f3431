/**
 * "Orders for you": the orders that name this identity as beneficiary on each of its nodes, asked of every node
 * with a request signed by the identity (src/core/api/beneficiary-orders.ts), so a beneficiary needs no order id
 * from the principal. The principal is named by its identity document's name (verified by the session, which
 * fetches it by CID); orders this identity placed for itself are left out (they are on this device already).
 * @module
 */
import { ordersForMe } from '../../core/api/beneficiary-orders.ts';
import { NodeApiError } from '../../core/api/errors.ts';
import type { NodeSession } from '../../core/api/session.ts';
import type { FlowsDeps } from '../api/deps.ts';
import type { NodeRecord } from '../nodes/model.ts';
import { sessionFor } from '../nodes/registry.ts';
import { describeError } from '../ui/index.ts';

/** One order naming you, where it is and who placed it. */
export interface OrderForYou {
  readonly id: string;
  readonly plugin: string;
  readonly status: 'open' | 'redeemed' | 'cancelled';
  readonly created: number;
  readonly node: string;
  readonly nodeName: string;
  readonly principal: string;
  /** The principal's name from its identity document (verified), or undefined when it could not be read. */
  readonly from: string | undefined;
}

export interface OrdersForYou {
  /** Newest first, across nodes. */
  readonly orders: readonly OrderForYou[];
  /** Nodes that could not answer, with why. */
  readonly failed: readonly { readonly node: string; readonly reason: string }[];
}

/** Most orders asked of each node (the newest). */
const PER_NODE = 50;

async function nameOf(session: NodeSession, cid: string): Promise<string | undefined> {
  try {
    return (await session.identity(cid)).value.name;
  } catch {
    return undefined; // shown by its CID instead
  }
}

async function fromNode(deps: FlowsDeps, node: NodeRecord, me: string): Promise<OrderForYou[]> {
  const session = await sessionFor(deps, node.url);
  let page: Awaited<ReturnType<typeof ordersForMe>>;
  try {
    page = await ordersForMe(session, { limit: PER_NODE });
  } catch (e) {
    // A node this identity never registered with cannot have orders for it.
    if (e instanceof NodeApiError && e.code === 'unknown_identity') return [];
    throw e;
  }
  const others = page.orders.filter((o) => o.principal !== me);
  const names = new Map<string, Promise<string | undefined>>();
  for (const o of others) if (!names.has(o.principal)) names.set(o.principal, nameOf(session, o.principal));
  return Promise.all(
    others.map(async (o) => ({
      id: o.id,
      plugin: o.plugin,
      status: o.status,
      created: o.created,
      node: node.url,
      nodeName: node.name,
      principal: o.principal,
      from: await names.get(o.principal),
    })),
  );
}

/** Asks every node at once; one that fails is reported, the others' orders are still listed. */
export async function ordersForYou(deps: FlowsDeps, nodes: readonly NodeRecord[], me: string): Promise<OrdersForYou> {
  const results = await Promise.allSettled(nodes.map((n) => fromNode(deps, n, me)));
  const orders: OrderForYou[] = [];
  const failed: { node: string; reason: string }[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') orders.push(...r.value);
    else failed.push({ node: nodes[i]!.name, reason: describeError(r.reason).message });
  });
  orders.sort((a, b) => b.created - a.created);
  return { orders, failed };
}
