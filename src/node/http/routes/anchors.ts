/**
 * GET /v1/anchors and GET /v1/anchors/birth: the node's Bitcoin anchors
 * (src/node/anchor/), each with what it commits to, where it stands and,
 * once confirmed, its SPV proof, which a client checks itself against a
 * header chain it trusts (core/anchor's verifyAnchorProof); nothing here
 * needs to be believed. 404 `not_found` when anchoring is off.
 * @module
 */
import type { FastifyInstance } from 'fastify';
import type { AnchorRecord, AnchorStore } from '../../anchor/store.ts';
import { ApiError } from '../errors.ts';

const anchorSchema = {
  type: 'object',
  required: ['status', 'hash', 'payload'],
  properties: {
    status: { type: 'string', enum: ['pending', 'signed', 'broadcast', 'confirmed'] },
    record: { type: 'string', contentEncoding: 'base64', description: 'birth: the Birth Record (DAG-CBOR)' },
    checkpoint: { type: 'string', description: 'checkpoint: the signed checkpoint note anchored' },
    size: { type: 'integer', description: 'checkpoint: the tree size anchored' },
    hash: { type: 'string', description: 'SHA-256 (hex) committed in the OP_RETURN output' },
    payload: { type: 'string', description: 'the OP_RETURN payload (hex)' },
    txid: { type: 'string' },
    block: {
      type: 'object',
      required: ['height', 'time'],
      properties: { height: { type: 'integer' }, time: { type: 'integer', description: 'header time, Unix s' } },
    },
    proof: { type: 'object', description: 'AnchorProof: txHex, index, branch, header, height, headers' },
    psbt: { type: 'string', description: 'PSBT mode: the unsigned transaction for the operator (base64)' },
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

const listSchema = {
  summary: "The node's Bitcoin anchors: its Birth Record and its checkpoints, with SPV proofs once mined",
  response: {
    200: {
      description: 'anchors',
      type: 'object',
      required: ['birth', 'checkpoints'],
      properties: {
        birth: { anyOf: [anchorSchema, { type: 'null' }] },
        checkpoints: { type: 'array', items: anchorSchema },
      },
    },
    404: { $ref: 'Error#' },
  },
};

const birthSchema = {
  summary: "The anchor of the node's Birth Record, with its SPV proof once mined",
  response: { 200: { description: 'the Birth Record anchor', ...anchorSchema }, 404: { $ref: 'Error#' } },
};

/** What a client sees of a record: its subject under its name, no internal bookkeeping. */
function view(r: AnchorRecord): Record<string, unknown> {
  return {
    status: r.state,
    ...(r.kind === 'birth'
      ? { record: r.subject }
      : { checkpoint: r.subject, size: Number(r.id.slice('checkpoint-'.length)) }),
    hash: r.hash,
    payload: r.payload,
    ...(r.txid ? { txid: r.txid } : {}),
    ...(r.anchored ? { block: r.anchored } : {}),
    ...(r.proof ? { proof: r.proof } : {}),
    ...(r.psbt && r.state === 'pending' ? { psbt: r.psbt } : {}),
    ...(r.lastError ? { error: { code: r.lastError.code, message: r.lastError.message } } : {}),
  };
}

/** `store()`: the node's anchor store, undefined when anchoring is off. */
export function anchorRoutes(store: () => AnchorStore | undefined) {
  const open = (): AnchorStore => {
    const s = store();
    if (!s) throw new ApiError('not_found', 'this node does not anchor on Bitcoin');
    return s;
  };
  return async (app: FastifyInstance): Promise<void> => {
    app.get('/v1/anchors', { schema: listSchema }, async () => {
      const records = await open().list();
      const birth = records.find((r) => r.kind === 'birth');
      return {
        birth: birth ? view(birth) : null,
        checkpoints: records.filter((r) => r.kind === 'checkpoint').map(view),
      };
    });
    app.get('/v1/anchors/birth', { schema: birthSchema }, async () => {
      const birth = await open().get('birth');
      if (!birth) throw new ApiError('not_found', 'the Birth Record has no anchor yet');
      return view(birth);
    });
  };
}
