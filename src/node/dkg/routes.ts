/**
 * The DKG routes (docs/protocol.md "DKG carried by nodes"): POST /v1/dkg/sessions starts this node's part
 * of a session (a `dkg/start` request envelope, the node's usual request checks); POST
 * /v1/dkg/sessions/{session}/round1, /round2 and /abort hand it a round's n envelopes or another node's
 * abort notice; GET /v1/dkg/sessions/{session} says where it is. Every one answers a step reply. The round
 * routes need no signature of their own: every envelope they carry is signed by a session node and checked by
 * the engine, and anything else makes the session abort, never finish wrong.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { CID } from 'multiformats/cid';
import { fromBase64 } from '../../core/bytes.ts';
import type { ParticipantMessage } from '../../core/dkg/participant.ts';
import { bodyBytes, type RequestAuth } from '../http/auth.ts';
import { ApiError } from '../http/errors.ts';
import { cidParam, envelopeBody, errorResponses } from '../http/schemas.ts';
import { isCanonicalCid } from '../storage/orders.ts';
import type { DkgRunner } from './runner.ts';
import { checkStart, type StartLimits } from './start-checks.ts';
import { stepReplySchema } from './step-reply.ts';

/** The type of the request envelope that starts a session at a node. */
const START_TYPE = 'dkg/start';
const MAX_NODES = 255;

const START_ERRORS = [
  'malformed',
  'bad_request',
  'bad_signature',
  'unknown_identity',
  'stale',
  'not_addressed',
  'bad_session',
  'not_participant',
  'body_too_large',
  'unsupported_media_type',
];
const reply = { 200: { description: 'step reply', ...stepReplySchema } };
const sessionParam = () => cidParam('session', 'session id: CID of the session document');
const envelopes = {
  type: 'object',
  required: ['envelopes'],
  additionalProperties: false,
  properties: {
    envelopes: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_NODES,
      items: { type: 'string', contentEncoding: 'base64' },
      description: "the round's envelopes, one per node in the session's node order",
    },
  },
};
const ROUND_ERRORS = ['malformed', 'not_found', 'body_too_large', 'unsupported_media_type'];

const startSchema = {
  summary: 'Start this node\'s part of a DKG: a "dkg/start" request envelope with {session, identities}',
  body: envelopeBody(),
  response: { ...reply, ...errorResponses(START_ERRORS) },
};
const roundSchema = (round: 1 | 2) => ({
  summary: `Hand this node the n round-${round} envelopes of a DKG session`,
  params: sessionParam(),
  body: envelopes,
  response: { ...reply, ...errorResponses(ROUND_ERRORS) },
});
const abortSchema = {
  summary: "Hand this node another node's abort notice (custody/dkg-abort) of a DKG session",
  params: sessionParam(),
  body: envelopeBody(),
  response: { ...reply, ...errorResponses(ROUND_ERRORS) },
};
const statusSchema = {
  summary: 'Where this node is in a DKG session (no secrets)',
  params: sessionParam(),
  response: { ...reply, ...errorResponses(['malformed', 'not_found']) },
};

function sessionOf(text: string): CID {
  if (!isCanonicalCid(text)) throw new ApiError('malformed', 'expected a session id (a CIDv1 string)');
  return CID.parse(text);
}

function envelopesOf(body: { envelopes: string[] }): Uint8Array[] {
  return body.envelopes.map((text, k) => {
    try {
      return fromBase64(text, `envelopes[${k}]`);
    } catch (e) {
      throw new ApiError('malformed', e instanceof Error ? e.message : `envelopes[${k}]: not base64`);
    }
  });
}

/**
 * The start request checked as every request is (signed by a known identity, addressed here, fresh), its
 * content opened. A request seen before goes on: the session it names answers what the node has, and a node
 * killed before it stored anything has sent nothing, so starting then is the first start.
 */
async function startRequest(auth: RequestAuth, body: unknown) {
  const env = await auth.verifyRequest(bodyBytes(body, 'envelope'));
  if (env.value.header.type !== START_TYPE) {
    throw new ApiError('bad_request', `expected an envelope of type "${START_TYPE}"`);
  }
  auth.assertCurrentVersion(env.value.header);
  auth.assertFresh(env.value.header);
  await auth.claim(env, START_TYPE);
  return auth.open(env);
}

export interface DkgRouteDeps {
  readonly runner: DkgRunner;
  readonly auth: RequestAuth;
  readonly limits: StartLimits;
  readonly bls: Parameters<typeof checkStart>[0];
}

export function dkgRoutes(deps: DkgRouteDeps) {
  const { runner } = deps;
  const round = (kind: 'round1' | 'round2') => async (req: { params: { session: string }; body: unknown }) => {
    const message: ParticipantMessage = { kind, envelopes: envelopesOf(req.body as { envelopes: string[] }) };
    return runner.receive(sessionOf(req.params.session), message);
  };
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/v1/dkg/sessions', { schema: startSchema }, async (req) => {
      const request = await startRequest(deps.auth, req.body);
      const checked = await checkStart(deps.bls, request.content, deps.limits);
      return runner.start(request.sender.cid, checked);
    });
    type Params = { Params: { session: string } };
    app.post<Params>('/v1/dkg/sessions/:session/round1', { schema: roundSchema(1) }, round('round1'));
    app.post<Params>('/v1/dkg/sessions/:session/round2', { schema: roundSchema(2) }, round('round2'));
    app.post<Params>('/v1/dkg/sessions/:session/abort', { schema: abortSchema }, async (req) => {
      const envelope = bodyBytes(req.body, 'envelope');
      return runner.receive(sessionOf(req.params.session), { kind: 'abort', envelope });
    });
    app.get<Params>('/v1/dkg/sessions/:session', { schema: statusSchema }, async (req) =>
      runner.status(sessionOf(req.params.session)),
    );
  };
}
