/**
 * The custody plugin's part of /openapi.json: no routes of its own, only the content of its envelopes
 * (index.ts), in DAG-JSON form: the dealt variant (a group document and a share) and the DKG variant (a finished
 * DKG's share bound to an order, dkg-holding.ts).
 * @module
 */
import type { PluginOpenApi } from '../types.ts';
import { reshareOrders, reshareReplies } from './reshare-openapi.ts';

const cid = { $ref: '#/components/schemas/DagCid' };
const bytes = (description: string) => ({ allOf: [{ $ref: '#/components/schemas/DagBytes' }], description });
const beneficiary = { ...cid, description: 'identity CID of the only party that may redeem' };
const group = { ...cid, description: 'CID of the "dta/custody-group" document' };
const dkg = { ...cid, description: 'CID of the "dta/custody-dkg" session document (purpose "custody:…")' };
const index = { type: 'integer', minimum: 1, maximum: 255, description: "this node's share index" };
const ciphertext = bytes('nonce (12 bytes) || AES-256-GCM(K, nonce, AAD, secret); K = HKDF-SHA256(k)');
const object = (properties: Record<string, object>) => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});

const dealtOrder = object({
  beneficiary,
  group: bytes('the DAG-CBOR bytes of the "dta/custody-group" document, signed by the principal'),
  ciphertext,
  share: bytes('a "custody/share" envelope sealed to this node alone: {group, index, value (32 bytes)}'),
});
const dkgOrder = object({ dkg, beneficiary });
const dealtReply = object({ order: { type: 'string' }, group, index, beneficiary });
const dkgReply = object({
  order: { type: 'string' },
  dkg,
  index,
  beneficiary,
  groupKey: bytes("the DKG's group key, compressed (48 bytes on BLS12-381 G1, 33 on secp256k1)"),
});
const dealtRedemption = object({
  order: { type: 'string' },
  group,
  groupDocument: bytes('the group document the order carried'),
  index,
  share: bytes('the share f(index), a 32-byte scalar'),
  ciphertext,
});
const dkgRedemption = object({
  order: { type: 'string' },
  session: bytes('the DAG-CBOR bytes of the session document'),
  index,
  share: bytes("this node's DKG share, a 32-byte scalar"),
  commitments: { type: 'array', items: bytes('a Feldman commitment (compressed point); the first is the group key') },
});

export const openapi: PluginOpenApi = {
  description:
    'Threshold custody: the principal encrypts a secret once under a key derived from a scalar k, deals k t-of-n ' +
    'to n nodes with Feldman commitments in a signed group document, and each node keeps one share, checked ' +
    'against the commitments before it commits; the beneficiary recovers k from any t nodes. Or the nodes ' +
    "generate the key together (a DKG) and the requester binds each node's share to an order.",
  errorCodes: ['bad_group', 'bad_share', 'group_taken', 'not_requester', 'share_moved', 'not_confirmed'],
  steps: {
    order: {
      summary:
        "keep this node's share of a custody group, or bind its share of a finished DKG (purpose custody:…); " +
        "sealed to the node and the beneficiary (the principal's intent)",
      content: { oneOf: [dealtOrder, dkgOrder, ...reshareOrders] },
      reply: { oneOf: [dealtReply, dkgReply, ...reshareReplies] },
    },
    redeem: {
      summary:
        "the beneficiary takes this node's share (with the ciphertext, or the DKG's session); sealed to it alone",
      content: { type: 'object', additionalProperties: false, maxProperties: 0 },
      reply: { oneOf: [dealtRedemption, dkgRedemption] },
    },
  },
};
