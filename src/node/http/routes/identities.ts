/**
 * POST /v1/identities (register a signed identity document) and
 * GET /v1/identities/{cid} (look one up: registered here, in the local
 * blockstore, or on a connected peer; verified before it is returned).
 *
 * Registration takes the document itself, not an envelope: it is
 * self-signed (with a proof of possession of its key) and content-addressed,
 * so it proves itself, and registering it again changes nothing. It is the
 * one write open to anyone, so each client address has a rate limit
 * (rate-limit.ts), checked before any verification work.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { CID } from 'multiformats/cid';
import { toBase64 } from '../../../core/bytes.ts';
import type { IdentityDocument, Verified } from '../../../core/protocol/types.ts';
import type { TakeResult } from '../../limits/rate-limit-store.ts';
import type { NodeRuntime } from '../../node.ts';
import { isCanonicalCid } from '../../storage/orders.ts';
import { bodyBytes, protocolToApi } from '../auth.ts';
import { ApiError, RetryLaterError } from '../errors.ts';
import { cidParam, documentBody, errorResponses, ref } from '../schemas.ts';

const registerSchema = {
  summary: 'Register a signed identity document (verified: schema, proof of possession, self-signature)',
  description:
    'No envelope: the document is self-signed and content-addressed, so it proves itself. ' +
    'Rate-limited per client address (429 with Retry-After).',
  body: documentBody('identity', 'The identity document (DAG-CBOR), raw or base64 in JSON.'),
  response: {
    201: { description: 'registered', ...ref('Identity') },
    200: { description: 'already registered', ...ref('Identity') },
    ...errorResponses([
      'malformed',
      'invalid_point',
      'bad_signature',
      'body_too_large',
      'unsupported_media_type',
      'rate_limited',
    ]),
  },
};

const lookupSchema = {
  summary: 'An identity document (registered, local or from a peer), verified',
  params: cidParam('cid', 'identity CID'),
  response: {
    200: {
      description: 'JSON, or the raw document with Accept: application/cbor',
      content: {
        'application/json': { schema: ref('Identity') },
        'application/cbor': { schema: { description: 'the identity document (DAG-CBOR)' } },
      },
    },
    ...errorResponses(['malformed', 'not_found']),
  },
};

/** The JSON view of an identity: its bytes (base64) and the decoded public fields. */
function identityJson(identity: Verified<IdentityDocument>) {
  const v = identity.value;
  return {
    cid: identity.cid.toString(),
    identity: toBase64(identity.bytes),
    name: v.name,
    created: v.created,
    keys: { bls: toBase64(v.keys.bls), xwing: toBase64(v.keys.xwing) },
    ...(v.endpoints ? { endpoints: v.endpoints } : {}),
    ...(v.plugins ? { plugins: v.plugins } : {}),
  };
}

/** One registration by the client at `ip` (limits/request-limits.ts: per address or /64, and node-wide). */
export type RegistrationLimit = (ip: string) => Promise<TakeResult>;

export function identityRoutes(runtime: () => NodeRuntime, registration: RegistrationLimit) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/identities', { schema: registerSchema }, async (req, reply) => {
      const allowed = await registration(req.ip);
      if (!allowed.ok) {
        const wait = allowed.retryAfterS;
        throw new RetryLaterError('rate_limited', `too many identity registrations; retry in ${wait} s`, wait);
      }
      const bytes = bodyBytes(req.body, 'identity');
      let result;
      try {
        result = await runtime().identities.register(bytes);
      } catch (err) {
        throw protocolToApi(err);
      }
      return reply.code(result.created ? 201 : 200).send(identityJson(result.identity));
    });

    app.get<{ Params: { cid: string } }>('/v1/identities/:cid', { schema: lookupSchema }, async (req, reply) => {
      if (!isCanonicalCid(req.params.cid)) throw new ApiError('malformed', 'expected a CIDv1 string');
      let identity: Verified<IdentityDocument>;
      try {
        identity = await runtime().identities.resolve(CID.parse(req.params.cid));
      } catch (err) {
        const mapped = protocolToApi(err);
        if (mapped instanceof ApiError && mapped.code === 'unknown_identity')
          throw new ApiError('not_found', 'no such identity');
        throw mapped;
      }
      if (req.headers.accept === 'application/cbor')
        return reply.type('application/cbor').send(Buffer.from(identity.bytes));
      return identityJson(identity);
    });
  };
}
