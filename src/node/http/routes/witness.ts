/**
 * The node as a witness (C2SP tlog-witness, docs/protocol.md "Witnessing"):
 * POST /v1/witness/add-checkpoint takes a text body (old size, consistency
 * proof lines, empty line, signed checkpoint) and answers cosignature lines;
 * GET /v1/witness names this witness and its key; GET /v1/witness/evidence
 * lists the contradicting checkpoints the witness refused and kept.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { formatSignatureLines, type NoteSignature } from '../../../core/tlog/note.ts';
import { WITNESS_ERRORS, WitnessError } from '../../witness/errors.ts';
import { parseAddCheckpoint } from '../../witness/request.ts';
import type { Witnessing } from '../../witness/service.ts';

/**
 * Largest add-checkpoint body: 63 proof lines are under 3 kB and a checkpoint with 100 cosignatures under 16 kB;
 * the bound also bounds what a log can make the witness keep as evidence.
 */
const MAX_BODY = 32 * 1024;

/** A witness's refusal: the node's error shape, with the witness's codes. */
const refusal = (codes: readonly string[]) => ({
  description: codes.join('; '),
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string', enum: codes }, message: { type: 'string' } },
          },
        },
      },
    },
  },
});

const codesOf = (status: number) =>
  Object.entries(WITNESS_ERRORS)
    .filter(([, s]) => s === status)
    .map(([c]) => c);

const addCheckpointSchema = {
  summary: 'tlog-witness add-checkpoint: cosign a checkpoint of a log witnessed here',
  description:
    'Body (text): "old <size>", the consistency proof lines (base64), an empty line, the signed checkpoint. ' +
    'Reply: cosignature/v1 note signature lines.',
  consumes: ['text/plain'],
  body: { type: 'string' },
  response: {
    200: { description: 'cosignature lines', content: { 'text/plain': { schema: { type: 'string' } } } },
    400: refusal(codesOf(400)),
    403: refusal(codesOf(403)),
    404: refusal(codesOf(404)),
    409: {
      ...refusal(codesOf(409)),
      description: 'stale_old: the size cosigned here, in text/x.tlog.size; fork: in JSON',
      content: { ...refusal([]).content, 'text/x.tlog.size': { schema: { type: 'string' } } },
    },
    422: refusal(codesOf(422)),
  },
};

const infoSchema = {
  summary: 'This witness: its name, cosignature verifier key and the logs it witnesses',
  response: {
    200: {
      description: 'the witness',
      type: 'object',
      required: ['name', 'key', 'logs'],
      properties: {
        name: { type: 'string', description: "the witness name: the origin of this node's own log" },
        key: { type: 'string', description: 'cosignature/v1 verifier key (name+hash+base64)' },
        logs: { type: 'array', items: { type: 'string' }, description: 'origins of the logs witnessed here' },
      },
    },
  },
};

const evidenceSchema = {
  summary: 'Checkpoints refused as a fork or as inconsistent, each with the one cosigned before',
  response: {
    200: {
      description: 'evidence records, oldest first',
      type: 'object',
      required: ['evidence'],
      properties: { evidence: { type: 'array', items: { type: 'object' } } },
    },
  },
};

export function witnessRoutes(witnessing: Witnessing) {
  return async (app: FastifyInstance): Promise<void> => {
    // This scope only: the witness protocol's bodies are plain text (any other route keeps JSON and CBOR only).
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

    app.post('/v1/witness/add-checkpoint', { schema: addCheckpointSchema, bodyLimit: MAX_BODY }, async (req, reply) => {
      if (typeof req.body !== 'string') throw new WitnessError('malformed', 'send the add-checkpoint body as text');
      let cosigned: NoteSignature[];
      try {
        cosigned = await witnessing.witness.addCheckpoint(parseAddCheckpoint(req.body));
      } catch (err) {
        if (!(err instanceof WitnessError) || err.code !== 'stale_old') throw err;
        return reply.code(409).type('text/x.tlog.size').send(`${err.size}\n`);
      }
      return reply.type('text/plain; charset=utf-8').send(formatSignatureLines(cosigned));
    });

    app.get('/v1/witness', { schema: infoSchema }, async () => ({
      name: witnessing.name,
      key: witnessing.key,
      logs: witnessing.witness.origins(),
    }));

    app.get('/v1/witness/evidence', { schema: evidenceSchema }, async () => ({
      evidence: await witnessing.evidence.list(),
    }));
  };
}
