/**
 * The node's log over HTTP, all GET: the latest checkpoint (a signed note, text), the newest one witnesses
 * cosigned (which under steady traffic is older than the latest), the C2SP tlog-tiles under
 * /v1/log/ (tiles and entry bundles, binary, immutable: a tile's bytes never change, a partial tile is a
 * different path), where an entry is (by the CID it names), and the log key with the statement that binds it
 * to a node made before logs. Formats: docs/protocol.md#the-nodes-log.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import { CID } from 'multiformats/cid';
import { toBase64 } from '../../../core/bytes.ts';
import type { NodeRuntime } from '../../node.ts';
import { isCanonicalCid } from '../../storage/orders.ts';
import { ApiError } from '../errors.ts';
import { cidParam, errorResponses } from '../schemas.ts';

/** Immutable: a tile path names fixed bytes forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The checkpoint moves on with every batch; a client may reuse one for a few seconds. */
const SHORT = 'public, max-age=5';

const checkpointSchema = {
  summary: "The log's latest checkpoint: a C2SP signed note by the log key, with the witnesses' cosignatures",
  response: {
    200: {
      description: 'text/plain; charset=utf-8',
      content: { 'text/plain': { schema: { type: 'string', description: 'C2SP tlog-checkpoint signed note' } } },
    },
  },
};

const cosignedSchema = {
  summary:
    'The newest checkpoint witnesses cosigned: a C2SP signed note by the log key with their cosignatures (it may be ' +
    'older than the latest: check its consistency with the latest from the tiles)',
  response: {
    200: {
      description: 'text/plain; charset=utf-8',
      content: { 'text/plain': { schema: { type: 'string', description: 'C2SP tlog-checkpoint signed note' } } },
    },
    ...errorResponses(['not_cosigned']),
  },
};

const tileSchema = {
  summary: 'A C2SP tlog-tiles tile or entry bundle, e.g. /v1/log/tile/0/x001/234.p/5 or /v1/log/tile/entries/000',
  params: { type: 'object', properties: { '*': { type: 'string', description: 'the tile path after tile/' } } },
  response: {
    200: {
      description: 'application/octet-stream: 32-byte hashes (tiles) or length-prefixed entries (bundles)',
      content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    ...errorResponses(['not_found']),
  },
};

const entrySchema = {
  summary: 'Where an entry is: its index, and its inclusion proof in the latest checkpoint (or the one of ?size=)',
  params: cidParam('cid', 'CID of an envelope or identity document the node logged'),
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { size: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$', description: 'a checkpoint size' } },
  },
  response: {
    200: {
      description: 'the entry naming this CID',
      type: 'object',
      required: ['index', 'size', 'proof'],
      properties: {
        index: { type: 'integer' },
        size: { type: 'integer', description: 'the tree size proven against: ?size=, else the latest checkpoint' },
        proof: { type: 'array', items: { type: 'string', contentEncoding: 'base64' }, description: 'RFC 9162' },
      },
    },
    ...errorResponses(['malformed', 'not_found']),
  },
};

const keySchema = {
  summary: "The log's origin and verifier key, and the statement binding them when the identity document does not",
  response: {
    200: {
      description: 'log key',
      type: 'object',
      required: ['origin', 'key'],
      properties: {
        origin: { type: 'string' },
        key: { type: 'string', description: 'signed-note verifier key (Ed25519)' },
        statement: {
          type: 'string',
          contentEncoding: 'base64',
          description: 'a plain dta/log-key envelope signed by the node (nodes made before logs)',
        },
      },
    },
  },
};

export function logRoutes(runtime: () => NodeRuntime) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/log/checkpoint', { schema: checkpointSchema }, async (_req, reply) => {
      const { note } = await runtime().log.latest();
      return reply.header('cache-control', SHORT).type('text/plain; charset=utf-8').send(note);
    });

    app.get('/v1/log/checkpoint/cosigned', { schema: cosignedSchema }, async (_req, reply) => {
      const cosigned = await runtime().log.cosigned();
      if (!cosigned) throw new ApiError('not_cosigned', 'no witness has cosigned a checkpoint of this log yet');
      return reply.header('cache-control', SHORT).type('text/plain; charset=utf-8').send(cosigned.note);
    });

    app.get<{ Params: { '*': string } }>('/v1/log/tile/*', { schema: tileSchema }, async (req, reply) => {
      const tile = await runtime().log.tile(`tile/${req.params['*']}`);
      if (!tile) throw new ApiError('not_found', 'no such tile in the latest checkpoint');
      return reply.header('cache-control', IMMUTABLE).type('application/octet-stream').send(Buffer.from(tile));
    });

    app.get<{ Params: { cid: string }; Querystring: { size?: string } }>(
      '/v1/log/entries/:cid',
      { schema: entrySchema },
      async (req, reply) => {
        if (!isCanonicalCid(req.params.cid)) throw new ApiError('malformed', 'expected a CIDv1 string');
        const log = runtime().log;
        const index = await log.indexOf(CID.parse(req.params.cid));
        const latest = (await log.latest()).checkpoint.size;
        const size = req.query.size === undefined ? latest : Number(req.query.size);
        if (size > latest) throw new ApiError('not_found', 'the log has no checkpoint of that size yet');
        if (index === undefined || index >= size) throw new ApiError('not_found', 'no entry names this CID');
        const proof = (await log.inclusionProof(index, size)).map(toBase64);
        return reply.header('cache-control', SHORT).send({ index, size, proof });
      },
    );

    app.get('/v1/log/key', { schema: keySchema }, async () => {
      const { log, logKeyStatement } = runtime();
      const statement = logKeyStatement ? { statement: toBase64(logKeyStatement) } : {};
      return { origin: log.origin, key: log.verifierKey, ...statement };
    });
  };
}
