/**
 * The orders that name an identity as their beneficiary, as a node lists them to that identity alone
 * (`POST /v1/beneficiaries/{cid}/orders`, docs/protocol.md#orders-for-a-beneficiary). The request is a plain
 * `orders/list` envelope signed by the beneficiary and addressed to the node, so a beneficiary learns of an order
 * without being told its id; the reply is a page of the node's order summaries, newest first, with the cursor
 * of the next page when there is one. Shared by the node (the request's content) and every client.
 * @module
 */
import { integer, list, oneOf, struct, text } from '../schema.ts';
import { ReplyError } from './errors.ts';
import type { CallOptions } from './node-api.ts';
import type { NodeSession } from './session.ts';

/** The envelope type of the request. */
export const ORDERS_LIST_TYPE = 'orders/list';

/** Most orders one page holds (a larger `limit` is refused: malformed). */
export const MAX_ORDERS_PAGE = 100;

/** A page's size when the request names none. */
export const DEFAULT_ORDERS_PAGE = 20;

/** The request's content: both fields optional; the cursor is the `next` of the previous page, opaque. */
export const ordersPageRequest = struct(
  {},
  { limit: integer(1, MAX_ORDERS_PAGE), cursor: text({ minBytes: 1, maxBytes: 160 }) },
);

export type OrdersPageRequest = ReturnType<typeof ordersPageRequest>;

const cidText = text({ minBytes: 8, maxBytes: 128 });

const orderSummary = struct({
  id: cidText,
  plugin: text({ minBytes: 1, maxBytes: 64 }),
  principal: cidText,
  beneficiary: cidText,
  status: oneOf(['open', 'redeemed', 'cancelled'] as const),
  head: cidText,
  created: integer(0, Number.MAX_SAFE_INTEGER),
});

/** The node's unsigned summary of an order (a client verifies the order's chain before believing it). */
export type BeneficiaryOrder = ReturnType<typeof orderSummary>;

const ordersPage = struct(
  { orders: list(orderSummary, { max: MAX_ORDERS_PAGE }) },
  { next: text({ minBytes: 1, maxBytes: 160 }) },
);

export type OrdersPage = ReturnType<typeof ordersPage>;

/** One page of the orders naming the session's identity at its node, newest first. */
export async function ordersForMe(
  session: NodeSession,
  page: OrdersPageRequest = {},
  options?: CallOptions,
): Promise<OrdersPage> {
  const request = await session.request({ type: ORDERS_LIST_TYPE, content: page, sealed: false });
  const me = session.me.identity.cid.toString();
  const reply = await session.api.beneficiaryOrders(me, request.bytes, options);
  try {
    return ordersPage(reply, 'orders page');
  } catch (err) {
    throw new ReplyError((err as Error).message);
  }
}
