/**
 * POST /v1/orders, GET /v1/orders/{id}, POST /v1/orders/{id}/redeem, and the principal's
 * POST /v1/orders/{id}/check-in and /cancel (orders.ts does the work). Replies carry the node's reply envelope:
 * { order, status, cid, envelope: base64, replayed: false }. A request
 * already committed is 409 replay with {order, head}: head is the CID of
 * the reply step, which GET /v1/orders/{id} lists in its history.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { decodeEnvelope } from '../../../core/protocol/index.ts';
import type { NodeRuntime } from '../../node.ts';
import type { CommittedStep, PrincipalStep } from '../../orders.ts';
import { isCanonicalCid } from '../../storage/orders.ts';
import { bodyBytes } from '../auth.ts';
import { base64Of } from '../base64.ts';
import { ApiError } from '../errors.ts';
import { cidParam, envelopeBody, errorResponses, ref } from '../schemas.ts';

const ENVELOPE_ERRORS = [
  'malformed',
  'bad_request',
  'invalid_point',
  'bad_signature',
  'unknown_identity',
  'stale',
  'not_addressed',
  'unknown_plugin',
  'replay',
  'body_too_large',
  'unsupported_media_type',
];
const orderId = () => cidParam('id', 'order id: CID of its first envelope');

const createSchema = {
  summary: 'Create an order: an envelope of type "<plugin>/order"',
  description:
    'The content each plugin takes and answers is in x-dta-envelopes (JSON Schema of the DAG-JSON form), ' +
    'by envelope type.',
  body: envelopeBody(),
  response: {
    201: { description: 'committed', ...ref('StepReply') },
    ...errorResponses([...ENVELOPE_ERRORS, 'quota_exceeded']),
  },
};

const redeemSchema = {
  summary: 'Redeem an order: an envelope of type "<plugin>/redeem" from the beneficiary, linking the order head',
  description: createSchema.description,
  params: orderId(),
  body: envelopeBody(),
  response: {
    200: { description: 'committed', ...ref('StepReply') },
    ...errorResponses([
      ...ENVELOPE_ERRORS,
      'not_beneficiary',
      'not_found',
      'conflict',
      'cancelled',
      'condition_not_met',
      'oidc_required',
      'untrusted_issuer',
      'oidc_invalid',
      'oidc_expired',
      'oidc_wrong_subject',
      'oidc_wrong_request',
      'oidc_unavailable',
    ]),
  },
};

/** The principal's steps on an order with release conditions (docs/protocol.md#check-in-and-cancel). */
const principalStepSchema = (step: PrincipalStep, summary: string) => ({
  summary,
  description:
    `An envelope of type "<plugin>/${step}" from the principal, content {} (plain or sealed to the node), ` +
    `linking the order head; the node's reply "<plugin>/${step}-reply" is plain, content {order}.`,
  params: orderId(),
  body: envelopeBody(),
  response: {
    200: { description: 'committed', ...ref('StepReply') },
    ...errorResponses([...ENVELOPE_ERRORS, 'not_principal', 'not_found', 'conflict', 'cancelled']),
  },
});

const checkInSchema = principalStepSchema(
  'check-in',
  "Check in: the principal is alive, the order's dead man's switch starts again from the node's time",
);
const cancelSchema = principalStepSchema(
  'cancel',
  'Cancel an order with release conditions: the node deletes its secret, and the order takes no further step',
);

const readSchema = {
  summary: 'An order and its chain of envelopes, oldest first',
  params: orderId(),
  response: { 200: { description: 'order', ...ref('Order') }, ...errorResponses(['malformed', 'not_found']) },
};

function stepJson(r: CommittedStep) {
  // `replayed` stays for clients written against the first API: the node itself never sends a reply twice.
  const log = r.log ? { log: r.log } : {}; // the step in the node's log: docs/protocol.md#the-nodes-log
  return { order: r.order, status: r.status, cid: r.cid, envelope: base64Of(r.envelope), replayed: false, ...log };
}

function checkedOrderId(id: string): string {
  if (!isCanonicalCid(id)) throw new ApiError('malformed', 'expected an order id (a CIDv1 string)');
  return id;
}

export function orderRoutes(runtime: () => NodeRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/orders', { schema: createSchema }, async (req, reply) => {
      const result = await runtime().orders.create(bodyBytes(req.body, 'envelope'));
      return reply.code(201).send(stepJson(result));
    });

    app.post<{ Params: { id: string } }>('/v1/orders/:id/redeem', { schema: redeemSchema }, async (req) => {
      const id = checkedOrderId(req.params.id);
      return stepJson(await runtime().orders.redeem(id, bodyBytes(req.body, 'envelope')));
    });

    for (const [step, schema] of [
      ['check-in', checkInSchema],
      ['cancel', cancelSchema],
    ] as const) {
      app.post<{ Params: { id: string } }>(`/v1/orders/:id/${step}`, { schema }, async (req) => {
        const id = checkedOrderId(req.params.id);
        return stepJson(await runtime().orders.principalStep(step, id, bodyBytes(req.body, 'envelope')));
      });
    }

    app.get<{ Params: { id: string } }>('/v1/orders/:id', { schema: readSchema }, async (req) => {
      const stored = await runtime().orders.get(checkedOrderId(req.params.id));
      if (!stored) throw new ApiError('not_found', 'no such order');
      const { record } = stored;
      const { id, plugin, principal, beneficiary, status, head, created } = record;
      return {
        order: { id, plugin, principal, beneficiary, status, head, created },
        history: record.history.map((cid) => {
          const bytes = stored.envelopes[cid]!;
          const { header } = decodeEnvelope(bytes).value;
          const recipients = header.recipients.map(String);
          return {
            cid,
            type: header.type,
            sender: header.sender.toString(),
            recipients,
            created: header.created,
            envelope: base64Of(bytes),
          };
        }),
      };
    });
  };
}
