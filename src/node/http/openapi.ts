/**
 * The OpenAPI 3.1 document served at /openapi.json: every route, its
 * request model (one signed envelope per state-changing request) and the
 * error table of errors.ts, with each plugin's own routes and envelopes
 * merged in (openapi-plugins.ts). A test checks that every route the
 * server registers is in it.
 * @module
 */
import { ERRORS } from './errors.ts';
import { mergePlugins, type DocumentedPlugin, type OpenApiDocument } from './openapi-plugins.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const errorResponses = (...codes: (keyof typeof ERRORS)[]) => {
  const out: Record<string, object> = {};
  for (const code of codes) {
    const status = String(ERRORS[code].status);
    const prev = (out[status] as { description: string } | undefined)?.description;
    out[status] = { description: prev ? `${prev}; ${code}` : code, content: json(ref('Error')) };
  }
  return out;
};

const envelopeBody = {
  required: true,
  description: 'One signed request envelope (DAG-CBOR), raw or base64 in JSON.',
  content: {
    'application/cbor': { schema: { type: 'string', format: 'binary' } },
    'application/json': { schema: { type: 'object', required: ['envelope'], additionalProperties: false, properties: { envelope: { type: 'string', contentEncoding: 'base64' } } } },
  },
};

const ENVELOPE_ERRORS = ['malformed', 'bad_request', 'bad_signature', 'unknown_identity', 'stale', 'not_addressed', 'unknown_plugin', 'replay', 'body_too_large', 'unsupported_media_type'] as const;

const schemas = {
  Error: {
    type: 'object', required: ['error'],
    properties: {
      error: {
        type: 'object', required: ['code', 'message'],
        properties: {
          code: { type: 'string', enum: Object.keys(ERRORS) }, message: { type: 'string' },
          order: { type: 'string', description: 'replay of an order step already committed: the order id' },
          head: { type: 'string', description: 'replay of an order step already committed: CID of the node reply step to it (in the history of GET /v1/orders/{order})' },
        },
      },
    },
  },
  StepReply: {
    type: 'object', required: ['order', 'status', 'cid', 'envelope', 'replayed'],
    properties: {
      order: { type: 'string', description: 'order id: CID of its first envelope' },
      status: { type: 'string', enum: ['open', 'redeemed'] },
      cid: { type: 'string', description: 'CID of the node reply envelope' },
      envelope: { type: 'string', contentEncoding: 'base64', description: 'the reply envelope, signed by the node, sealed to the recipients the plugin chose' },
      replayed: { type: 'boolean', description: 'always false from the node, which never answers a request twice (a retry of a committed request is 409 replay); kept for older clients' },
    },
  },
  DagCid: {
    type: 'object', required: ['/'], additionalProperties: false, description: 'a CID in DAG-JSON form (a DAG-CBOR link in the envelope)',
    properties: { '/': { type: 'string' } },
  },
  DagBytes: {
    type: 'object', required: ['/'], additionalProperties: false, description: 'bytes in DAG-JSON form (a DAG-CBOR byte string in the envelope)',
    properties: { '/': { type: 'object', required: ['bytes'], additionalProperties: false, properties: { bytes: { type: 'string', description: 'base64, unpadded' } } } },
  },
  Identity: {
    type: 'object', required: ['cid', 'identity', 'name', 'created', 'keys'],
    properties: {
      cid: { type: 'string' }, identity: { type: 'string', contentEncoding: 'base64' }, name: { type: 'string' }, created: { type: 'integer' },
      keys: { type: 'object', properties: { bls: { type: 'string' }, xwing: { type: 'string' } } },
      endpoints: { type: 'object' }, plugins: { type: 'array', items: { type: 'string' } },
    },
  },
  Order: {
    type: 'object',
    properties: {
      order: { type: 'object', properties: { id: { type: 'string' }, plugin: { type: 'string' }, principal: { type: 'string' }, beneficiary: { type: 'string' }, status: { type: 'string' }, head: { type: 'string' }, created: { type: 'integer' } } },
      history: { type: 'array', items: { type: 'object', properties: { cid: { type: 'string' }, type: { type: 'string' }, sender: { type: 'string' }, recipients: { type: 'array', items: { type: 'string' } }, created: { type: 'integer' }, envelope: { type: 'string', contentEncoding: 'base64' } } } },
    },
  },
};

/** Names of the node's own component schemas (a plugin may not redefine them). */
export const NODE_SCHEMAS: readonly string[] = Object.keys(schemas);

const STEP_NOTE = 'The content each plugin takes and answers is in x-dta-envelopes (JSON Schema of the DAG-JSON form), by envelope type.';

export function openApiDocument(plugins: readonly DocumentedPlugin[], version: string): OpenApiDocument {
  const names = plugins.map((p) => p.name);
  return mergePlugins(structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'dta fiduciary node', version,
      description: 'Every state-changing request carries one envelope signed by a known identity and addressed to this node, ' +
        'created within the freshness window and never used before; errors are {error: {code, message}}. ' +
        'A retry of an order step the node already committed is 409 replay with error.order and error.head (the reply step, ' +
        'read it from GET /v1/orders/{order}); nothing runs twice. ' +
        `Plugins on this node: ${names.join(', ') || 'none'} (routes under /v1/plugins/<name>/, tagged with the plugin name).`,
    },
    paths: {
      '/v1/status': { get: { summary: 'Identity CID, version, plugins, peers', responses: { 200: { description: 'status', content: json({ type: 'object' }) } } } },
      '/.well-known/dta': { get: { summary: 'Discovery: identity, HTTP and libp2p addresses, suites', responses: { 200: { description: 'discovery document', content: json({ type: 'object' }) } } } },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
      '/v1/identities': {
        post: {
          summary: 'Register a signed identity document (verified: schema, proof of possession, self-signature)',
          requestBody: { required: true, content: { 'application/cbor': { schema: { type: 'string', format: 'binary' } }, 'application/json': { schema: { type: 'object', required: ['identity'], properties: { identity: { type: 'string', contentEncoding: 'base64' } } } } } },
          responses: { 201: { description: 'registered', content: json(ref('Identity')) }, 200: { description: 'already registered', content: json(ref('Identity')) }, ...errorResponses('malformed', 'bad_signature', 'body_too_large', 'unsupported_media_type', 'rate_limited') },
        },
      },
      '/v1/identities/{cid}': {
        get: {
          summary: 'An identity document (registered, local or from a peer), verified',
          parameters: [{ name: 'cid', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'JSON, or the raw document with Accept: application/cbor', content: { ...json(ref('Identity')), 'application/cbor': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses('malformed', 'not_found') },
        },
      },
      '/v1/orders': {
        post: {
          summary: 'Create an order: an envelope of type "<plugin>/order"',
          description: STEP_NOTE,
          requestBody: envelopeBody,
          responses: { 201: { description: 'committed', content: json(ref('StepReply')) }, ...errorResponses(...ENVELOPE_ERRORS) },
        },
      },
      '/v1/orders/{id}': {
        get: {
          summary: 'An order and its chain of envelopes, oldest first',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'order', content: json(ref('Order')) }, ...errorResponses('malformed', 'not_found') },
        },
      },
      '/v1/orders/{id}/redeem': {
        post: {
          summary: 'Redeem an order: an envelope of type "<plugin>/redeem" from the beneficiary, linking the order head',
          description: STEP_NOTE,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: envelopeBody,
          responses: { 200: { description: 'committed', content: json(ref('StepReply')) }, ...errorResponses(...ENVELOPE_ERRORS, 'not_beneficiary', 'not_found', 'conflict') },
        },
      },
    },
    components: { schemas },
  }), plugins);
}
