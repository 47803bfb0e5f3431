/**
 * POST /v1/orders, GET /v1/orders/{id}, POST /v1/orders/{id}/redeem
 * (orders.ts does the work). Replies carry the node's reply envelope:
 * { order, status, cid, envelope: base64, replayed: false }. A request
 * already committed is 409 replay with {order, head}: head is the CID of
 * the reply step, which GET /v1/orders/{id} lists in its history.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { decodeEnvelope } from '../../../core/protocol/index.ts';
import type { NodeRuntime } from '../../node.ts';
import type { StepResult } from '../../orders.ts';
import { isCanonicalCid } from '../../storage/orders.ts';
import { bodyBytes, toBase64 } from '../auth.ts';
import { ApiError } from '../errors.ts';

function stepJson(r: StepResult) {
  // `replayed` stays for clients written against the first API: the node itself never sends a reply twice.
  return { order: r.order, status: r.status, cid: r.cid, envelope: toBase64(r.envelope), replayed: false };
}

function orderId(id: string): string {
  if (!isCanonicalCid(id)) throw new ApiError('malformed', 'expected an order id (a CIDv1 string)');
  return id;
}

export function orderRoutes(runtime: () => NodeRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/orders', async (req, reply) => {
      const result = await runtime().orders.create(bodyBytes(req.body, 'envelope'));
      return reply.code(201).send(stepJson(result));
    });

    app.post<{ Params: { id: string } }>('/v1/orders/:id/redeem', async (req) => {
      const id = orderId(req.params.id);
      return stepJson(await runtime().orders.redeem(id, bodyBytes(req.body, 'envelope')));
    });

    app.get<{ Params: { id: string } }>('/v1/orders/:id', async (req) => {
      const stored = await runtime().orders.get(orderId(req.params.id));
      if (!stored) throw new ApiError('not_found', 'no such order');
      const { record } = stored;
      return {
        order: { id: record.id, plugin: record.plugin, principal: record.principal, beneficiary: record.beneficiary, status: record.status, head: record.head, created: record.created },
        history: record.history.map((cid) => {
          const bytes = stored.envelopes[cid]!;
          const { header } = decodeEnvelope(bytes).value;
          return { cid, type: header.type, sender: header.sender.toString(), recipients: header.recipients.map(String), created: header.created, envelope: toBase64(bytes) };
        }),
      };
    });
  };
}
