/**
 * The JSON Schemas the node's routes share: the error body, a node reply step, an identity, an order, the
 * DAG-JSON forms of links and bytes, and the two request bodies (a signed envelope; an identity document),
 * each as application/cbor or as base64 in JSON. They are fastify shared schemas (`$id`), so routes refer to
 * them as `{ $ref: '<Name>#' }` and /openapi.json lists them under components.schemas by the same name.
 * @module
 */
import { type ApiErrorCode, ERRORS } from './errors.ts';

/** A reference to a shared schema, usable in route schemas. */
export const ref = (name: string): { $ref: string } => ({ $ref: `${name}#` });

/** A JSON Schema object (loosely typed: schemas are data). */
export type JsonSchema = Record<string, unknown>;

const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  description: 'Every refusal: {error: {code, message}}; codes and their statuses are in the error table.',
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERRORS) },
        message: { type: 'string' },
        order: { type: 'string', description: 'replay of an order step already committed: the order id' },
        head: {
          type: 'string',
          description:
            'replay of an order step already committed: CID of the node reply step to it ' +
            '(in the history of GET /v1/orders/{order})',
        },
        unmet: {
          type: 'array',
          description: "condition_not_met: each release condition not met yet, and until when (the node's clock, ms)",
          items: {
            type: 'object',
            required: ['condition', 'until'],
            properties: { condition: { type: 'string', enum: ['notBefore', 'checkIn'] }, until: { type: 'integer' } },
          },
        },
      },
    },
  },
};

const stepReply = {
  $id: 'StepReply',
  type: 'object',
  required: ['order', 'status', 'cid', 'envelope', 'replayed'],
  properties: {
    order: { type: 'string', description: 'order id: CID of its first envelope' },
    status: { type: 'string', enum: ['open', 'redeemed', 'cancelled'] },
    cid: { type: 'string', description: 'CID of the node reply envelope' },
    envelope: {
      type: 'string',
      contentEncoding: 'base64',
      description: 'the reply envelope, signed by the node, sealed to the recipients the plugin chose',
    },
    replayed: {
      type: 'boolean',
      description:
        'always false from the node, which never answers a request twice (a retry of a committed ' +
        'request is 409 replay); kept for older clients',
    },
    log: {
      type: 'object',
      description: "the step's envelopes in the node's log (docs/protocol.md#the-nodes-log)",
      required: ['checkpoint', 'entries'],
      properties: {
        checkpoint: { type: 'string', description: 'C2SP checkpoint, a note signed by the log key' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['cid', 'index', 'proof'],
            properties: {
              cid: { type: 'string' },
              index: { type: 'integer' },
              proof: { type: 'array', items: { type: 'string', contentEncoding: 'base64' } },
            },
          },
        },
      },
    },
  },
};

const dagCid = {
  $id: 'DagCid',
  type: 'object',
  required: ['/'],
  additionalProperties: false,
  description: 'a CID in DAG-JSON form (a DAG-CBOR link in the envelope)',
  properties: { '/': { type: 'string' } },
};

const dagBytes = {
  $id: 'DagBytes',
  type: 'object',
  required: ['/'],
  additionalProperties: false,
  description: 'bytes in DAG-JSON form (a DAG-CBOR byte string in the envelope)',
  properties: {
    '/': {
      type: 'object',
      required: ['bytes'],
      additionalProperties: false,
      properties: { bytes: { type: 'string', description: 'base64, unpadded' } },
    },
  },
};

const identity = {
  $id: 'Identity',
  type: 'object',
  required: ['cid', 'identity', 'name', 'created', 'keys'],
  properties: {
    cid: { type: 'string' },
    identity: { type: 'string', contentEncoding: 'base64', description: 'the signed document (DAG-CBOR)' },
    name: { type: 'string' },
    created: { type: 'integer' },
    keys: { type: 'object', properties: { bls: { type: 'string' }, xwing: { type: 'string' } } },
    endpoints: { type: 'object' },
    plugins: { type: 'array', items: { type: 'string' } },
  },
};

/** The fields of an order record a reply shows: one order's lookup, and each entry of a beneficiary's list. */
export const orderSummaryProperties = {
  id: { type: 'string', description: 'order id: CID of its first envelope' },
  plugin: { type: 'string' },
  principal: { type: 'string' },
  beneficiary: { type: 'string' },
  status: { type: 'string', enum: ['open', 'redeemed', 'cancelled'] },
  head: { type: 'string' },
  created: { type: 'integer' },
} as const;

const order = {
  $id: 'Order',
  type: 'object',
  required: ['order', 'history'],
  properties: {
    order: { type: 'object', properties: orderSummaryProperties },
    history: {
      type: 'array',
      description: 'the chain of envelopes, oldest first',
      items: {
        type: 'object',
        properties: {
          cid: { type: 'string' },
          type: { type: 'string' },
          sender: { type: 'string' },
          recipients: { type: 'array', items: { type: 'string' } },
          created: { type: 'integer' },
          envelope: { type: 'string', contentEncoding: 'base64' },
        },
      },
    },
  },
};

/** The schemas every route may refer to, registered once with fastify's addSchema. */
export const SHARED_SCHEMAS: readonly JsonSchema[] = [errorSchema, stepReply, dagCid, dagBytes, identity, order];

/** Names of the node's own component schemas (a plugin may not redefine them). */
export const NODE_SCHEMAS: readonly string[] = SHARED_SCHEMAS.map((s) => s.$id as string);

/** Raw DAG-CBOR bytes: fastify hands them to the route as a Buffer, so the schema only describes. */
const cborBytes = (description: string): { schema: JsonSchema } => ({
  schema: { description, contentMediaType: 'application/cbor' },
});

/** A body of one DAG-CBOR document: raw as application/cbor, or base64 as the one field `field` of JSON. */
export function documentBody(field: string, description: string): JsonSchema {
  return {
    description,
    required: true,
    content: {
      'application/cbor': cborBytes(description),
      'application/json': {
        schema: {
          type: 'object',
          required: [field],
          additionalProperties: false,
          properties: { [field]: { type: 'string', contentEncoding: 'base64' } },
        },
      },
    },
  };
}

/** The body of every state-changing request: one signed envelope. */
export const envelopeBody = (): JsonSchema =>
  documentBody('envelope', 'One signed request envelope (DAG-CBOR), raw or base64 in JSON.');

/** A path parameter that is a CID string (checked by the route, which answers `malformed` itself). */
export const cidParam = (name: string, description: string): JsonSchema => ({
  type: 'object',
  required: [name],
  properties: { [name]: { type: 'string', description } },
});

/**
 * Error responses for `codes`, one entry per status naming the codes it carries, each the shared Error body.
 * Plugins use it too, with their own codes (any code, as the statuses come from `statusOf`).
 */
export function errorResponses(
  codes: readonly string[],
  statusOf: (code: string) => number = (c) => ERRORS[c as ApiErrorCode].status,
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const code of codes) {
    const status = String(statusOf(code));
    const prev = out[status]?.description as string | undefined;
    out[status] = { description: prev ? `${prev}; ${code}` : code, ...ref('Error') };
  }
  return out;
}
