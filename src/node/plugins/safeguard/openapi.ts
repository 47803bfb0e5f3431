/**
 * The safeguard plugin's part of /openapi.json: no routes of its own, only
 * the content of its envelopes (index.ts), in DAG-JSON form.
 * @module
 */
import type { PluginOpenApi } from '../types.ts';

const cid = { $ref: '#/components/schemas/DagCid' };
const bytes = (description: string) => ({ allOf: [{ $ref: '#/components/schemas/DagBytes' }], description });
const label = { type: 'string', maxLength: 128, description: 'a note for the beneficiary' };
const beneficiary = { ...cid, description: 'identity CID of the only party that may redeem' };
const commitment = bytes('SHA-256("dta/safeguard/v1 commitment\\0" || order id || secret)');

export const openapi: PluginOpenApi = {
  description:
    'A principal deposits a secret, or has the node draw one, for a named beneficiary; only that beneficiary, ' +
    'with a signed redeem envelope, gets it back, sealed to it alone. Orders must be sealed to the node; an order ' +
    'with its intent is sealed to the beneficiary too, the secret in a deposit sealed to the node alone.',
  steps: {
    order: {
      summary:
        'deposit a secret (1..16384 bytes) or have the node draw 16..64 random bytes; the reply is sealed to principal and beneficiary',
      content: {
        oneOf: [
          {
            type: 'object',
            required: ['beneficiary', 'secret'],
            additionalProperties: false,
            properties: { beneficiary, secret: bytes('the secret, 1..16384 bytes'), label },
          },
          {
            type: 'object',
            required: ['beneficiary', 'generate'],
            additionalProperties: false,
            properties: { beneficiary, generate: { type: 'integer', minimum: 16, maximum: 64 }, label },
          },
          {
            type: 'object',
            required: ['beneficiary', 'deposit', 'depositSalt', 'depositCommitment'],
            additionalProperties: false,
            description: "with the principal's intent: the order is sealed to the node and the beneficiary",
            properties: {
              beneficiary,
              label,
              deposit: bytes('a "safeguard/deposit" envelope by the principal, sealed to the node only: {secret}'),
              depositSalt: bytes('32 random bytes'),
              depositCommitment: bytes(
                'SHA-256("dta/safeguard/v1 deposit\\0" || depositSalt || secret), for the beneficiary',
              ),
            },
          },
        ],
      },
      reply: {
        type: 'object',
        required: ['order', 'beneficiary', 'size', 'generated', 'commitment'],
        additionalProperties: false,
        properties: {
          order: { type: 'string' },
          beneficiary,
          size: { type: 'integer' },
          generated: { type: 'boolean' },
          commitment,
          label,
        },
      },
    },
    redeem: {
      summary: 'the beneficiary takes the secret; the reply is sealed to it alone',
      content: { type: 'object', additionalProperties: false, maxProperties: 0 },
      reply: {
        type: 'object',
        required: ['order', 'secret', 'commitment'],
        additionalProperties: false,
        properties: { order: { type: 'string' }, secret: bytes('the secret committed to'), commitment },
      },
    },
  },
};
