/**
 * POST /v1/beneficiaries/{cid}/orders: the orders naming identity {cid} as beneficiary, to that identity alone
 * (docs/protocol.md#orders-for-a-beneficiary). The body is a plain `orders/list` envelope signed by {cid}, checked
 * like every signed request (auth.ts: decoding, addressed to this node, signature, version, freshness, replay);
 * anyone else's is 403 `forbidden`. Replies `{orders: [...], next?}`, newest first; `next` is the cursor of the
 * following page, opaque to clients (`<created>.<order id>` of the page's last order).
 * @module
 */
import type { FastifyInstance } from 'fastify';
import {
  DEFAULT_ORDERS_PAGE,
  MAX_ORDERS_PAGE,
  ORDERS_LIST_TYPE,
  ordersPageRequest,
} from '../../../core/api/beneficiary-orders.ts';
import type { OrderRecord } from '../../plugins/types.ts';
import type { BeneficiaryOrders, OrderPosition } from '../../storage/backend.ts';
import { isCanonicalCid } from '../../storage/orders.ts';
import { protocolToApi, type RequestAuth } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { cidParam, envelopeBody, errorResponses, orderSummaryProperties } from '../schemas.ts';

const summary = {
  type: 'object',
  required: ['id', 'plugin', 'principal', 'beneficiary', 'status', 'head', 'created'],
  properties: orderSummaryProperties,
};

const listSchema = {
  summary: 'The orders naming an identity as beneficiary, newest first, to that identity alone',
  description:
    `The body is a plain "${ORDERS_LIST_TYPE}" envelope signed by {cid}, content {limit?: 1..${MAX_ORDERS_PAGE} ` +
    `(default ${DEFAULT_ORDERS_PAGE}), cursor?: the previous page's next}.`,
  params: cidParam('cid', 'the beneficiary: CID of its identity document'),
  body: envelopeBody(),
  response: {
    200: {
      description: 'a page of order summaries (unsigned: a client verifies the chain of an order it opens)',
      type: 'object',
      required: ['orders'],
      properties: {
        orders: { type: 'array', items: summary },
        next: { type: 'string', description: 'the cursor of the next page; absent on the last' },
      },
    },
    ...errorResponses([
      'malformed',
      'bad_request',
      'bad_signature',
      'unknown_identity',
      'stale',
      'not_addressed',
      'forbidden',
      'replay',
      'body_too_large',
      'unsupported_media_type',
    ]),
  },
};

const cursorOf = (o: OrderPosition): string => `${o.created}.${o.id}`;

function positionOf(cursor: string): OrderPosition {
  const match = /^(\d{1,15})\.(\w+)$/.exec(cursor);
  if (!match || !isCanonicalCid(match[2]!)) throw new ApiError('malformed', 'cursor: not a cursor this node gave');
  return { created: Number(match[1]), id: match[2]! };
}

function pageOf(content: unknown): { limit: number; after?: OrderPosition } {
  let page: ReturnType<typeof ordersPageRequest>;
  try {
    page = ordersPageRequest(content, 'content');
  } catch (err) {
    throw protocolToApi(err);
  }
  return { limit: page.limit ?? DEFAULT_ORDERS_PAGE, ...(page.cursor ? { after: positionOf(page.cursor) } : {}) };
}

const summaryOf = ({ id, plugin, principal, beneficiary, status, head, created }: OrderRecord) => ({
  id,
  plugin,
  principal,
  beneficiary,
  status,
  head,
  created,
});

export function beneficiaryOrderRoutes(deps: { auth: RequestAuth; orders: BeneficiaryOrders }) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post<{ Params: { cid: string } }>('/v1/beneficiaries/:cid/orders', { schema: listSchema }, async (req) => {
      const beneficiary = req.params.cid;
      if (!isCanonicalCid(beneficiary)) throw new ApiError('malformed', 'expected an identity (a CIDv1 string)');
      const request = await deps.auth.request(req.body, ORDERS_LIST_TYPE, ORDERS_LIST_TYPE);
      if (request.sender.cid.toString() !== beneficiary) {
        throw new ApiError('forbidden', 'only the identity named in the path may list the orders naming it');
      }
      const { limit, after } = pageOf(request.content);
      const found = await deps.orders.page(beneficiary, limit + 1, after);
      const orders = found.slice(0, limit).map(summaryOf);
      const last = orders[orders.length - 1];
      return { orders, ...(found.length > limit && last ? { next: cursorOf(last) } : {}) };
    });
  };
}
