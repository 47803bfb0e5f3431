/**
 * The custody plugin's part of /openapi.json: no routes of its own, only the content of its envelopes
 * (index.ts), in DAG-JSON form.
 * @module
 */
import type { PluginOpenApi } from '../types.ts';

const cid = { $ref: '#/components/schemas/DagCid' };
const bytes = (description: string) => ({ allOf: [{ $ref: '#/components/schemas/DagBytes' }], description });
const beneficiary = { ...cid, description: 'identity CID of the only party that may redeem' };
const group = { ...cid, description: 'CID of the "dta/custody-group" document' };
const index = { type: 'integer', minimum: 1, maximum: 255, description: "this node's share index" };
const ciphertext = bytes('nonce (12 bytes) || AES-256-GCM(K, nonce, AAD, secret); K = HKDF-SHA256(k)');

export const openapi: PluginOpenApi = {
  description:
    'Threshold custody: the principal encrypts a secret once under a key derived from a scalar k, deals k t-of-n ' +
    'to n nodes with Feldman commitments in a signed group document, and each node keeps one share, checked ' +
    'against the commitments before it commits; the beneficiary recovers k from any t nodes.',
  errorCodes: ['bad_group', 'bad_share', 'group_taken'],
  steps: {
    order: {
      summary:
        "keep this node's share of a custody group; sealed to the node and the beneficiary (the principal's intent)",
      content: {
        type: 'object',
        required: ['beneficiary', 'group', 'ciphertext', 'share'],
        additionalProperties: false,
        properties: {
          beneficiary,
          group: bytes('the DAG-CBOR bytes of the "dta/custody-group" document, signed by the principal'),
          ciphertext,
          share: bytes('a "custody/share" envelope sealed to this node alone: {group, index, value (32 bytes)}'),
        },
      },
      reply: {
        type: 'object',
        required: ['order', 'group', 'index', 'beneficiary'],
        additionalProperties: false,
        properties: { order: { type: 'string' }, group, index, beneficiary },
      },
    },
    redeem: {
      summary: "the beneficiary takes this node's share and the ciphertext; the reply is sealed to it alone",
      content: { type: 'object', additionalProperties: false, maxProperties: 0 },
      reply: {
        type: 'object',
        required: ['order', 'group', 'groupDocument', 'index', 'share', 'ciphertext'],
        additionalProperties: false,
        properties: {
          order: { type: 'string' },
          group,
          groupDocument: bytes('the group document the order carried'),
          index,
          share: bytes('the share f(index), a 32-byte scalar'),
          ciphertext,
        },
      },
    },
  },
};
