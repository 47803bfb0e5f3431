/**
 * The resharing steps' part of the custody plugin's /openapi.json (openapi.ts merges them into its order step):
 * the three "custody/order" contents and their replies, in DAG-JSON form (docs/protocol.md#resharing-a-custody-group).
 * @module
 */
const cid = (description: string) => ({ allOf: [{ $ref: '#/components/schemas/DagCid' }], description });
const bytes = (description: string) => ({ allOf: [{ $ref: '#/components/schemas/DagBytes' }], description });
const list = (items: object) => ({ type: 'array', minItems: 1, maxItems: 255, items });
const index = { type: 'integer', minimum: 1, maximum: 255 };
const object = (properties: Record<string, object>) => ({
  type: 'object',
  required: Object.keys(properties),
  additionalProperties: false,
  properties,
});
const oldGroup = cid('the CID of the group this node holds a share of');
const forwarded = (what: string) => list(bytes(what));

const deal = object({
  reshareDeal: object({
    group: oldGroup,
    nodes: list(bytes("a new node's identity document (DAG-CBOR), in the new group's order")),
    t: { ...index, description: "t', the new threshold" },
  }),
});
const accept = object({
  beneficiary: cid('identity CID of the only party that may redeem'),
  group: bytes('the new "dta/custody-group" document, naming the group it reshares'),
  ciphertext: bytes('the ciphertext both groups name'),
  reshared: object({
    from: bytes('the old "dta/custody-group" document'),
    dealings: forwarded("an old holder's signed deal reply (custody/order-reply), sealed to this node among others"),
  }),
});
const confirm = object({
  reshareConfirm: object({
    group: bytes('the new "dta/custody-group" document'),
    accepted: forwarded("every new node's signed order reply, sealed to this node among others"),
  }),
});
const dealReply = object({
  order: { type: 'string' },
  reshare: cid('the resharing id: CID of {type, version, from, nodes, t}'),
  group: oldGroup,
  index,
  commitments: list(bytes('G_i,k, a compressed G1 point (48 bytes)')),
  subshares: list(object({ enc: bytes('X-Wing encapsulation (1120 bytes)'), ciphertext: bytes('48 bytes') })),
  ciphertext: bytes('the ciphertext the group names'),
});
const confirmReply = object({
  order: { type: 'string' },
  moved: { type: 'string', description: 'the order whose share this node deleted' },
  from: oldGroup,
  to: cid('the new group'),
  index,
});

/** The order contents of the three resharing steps: deal (old holder), accept (new holder), confirm (old holder). */
export const reshareOrders: readonly object[] = [deal, accept, confirm];
/** Their replies (accept answers with the dealt order's reply). */
export const reshareReplies: readonly object[] = [dealReply, confirmReply];
