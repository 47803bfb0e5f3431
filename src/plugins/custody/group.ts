/**
 * The custody-group document: what the principal dealt and to whom, signed by the principal like an identity
 * document (a domain prefix, then the DAG-CBOR of the document without its signature) and named by the CID of
 * its DAG-CBOR bytes.
 *
 *   { type: "dta/custody-group", version: 1, principal, beneficiary, nodes: [CID…], t, commitments: [48 B…],
 *     ciphertext: CID (raw), created [, label] [, reshares: CID], signature: 96 B }
 *
 * Node i of `nodes` (0-based) holds share index i + 1. The commitments C_j = a_j·G1 (j = 0..t−1) are Feldman's
 * (the core's vss): a share is checked against them, never against the node's word.
 * @module
 */
import { CID } from 'multiformats/cid';
import { utf8 } from '../../core/bytes.ts';
import { cidOf, decodeStrict, encode } from '../../core/protocol/cbor.ts';
import { SchemaError, SignatureError } from '../../core/protocol/errors.ts';
import { assertSignature, signingInput } from '../../core/protocol/signing.ts';
import type { BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import { bytes, type Check, cid, integer, list, literal, struct, text } from '../../core/schema.ts';
import { refuse } from './errors.ts';

const GROUP_TYPE = 'dta/custody-group';
const GROUP_DOMAIN = utf8('dta/custody-group/v1\0');
/** A Shamir index is one byte: at most 255 nodes. */
export const MAX_NODES = 255;
/** In characters, as the safeguard plugin counts its labels. */
const MAX_LABEL = 128;
/** 255 nodes and 255 commitments fit with room to spare. */
const MAX_GROUP_BYTES = 64 * 1024;
const MAX_TIME = 253402300799999;

export interface CustodyGroup {
  readonly type: typeof GROUP_TYPE;
  readonly version: 1;
  readonly principal: CID;
  readonly beneficiary: CID;
  readonly nodes: CID[];
  readonly t: number;
  readonly commitments: Uint8Array[];
  readonly ciphertext: CID;
  readonly created: number;
  readonly label?: string;
  /** The group this one reshares (docs/protocol.md#resharing-a-custody-group); absent on a dealt group. */
  readonly reshares?: CID;
  readonly signature: Uint8Array;
}

/** Any CIDv1 with a sha2-256 digest: the ciphertext is a raw block, not DAG-CBOR. */
const anyCid: Check<CID> = (v, path) => {
  const c = CID.asCID(v);
  if (c?.version !== 1 || c.multihash.code !== 0x12 || c.multihash.size !== 32) {
    throw new SchemaError(`${path}: expected a CIDv1 sha2-256 link`);
  }
  return c;
};

const label = text({
  maxBytes: 3 * MAX_LABEL,
  test: (s) => s.length <= MAX_LABEL,
  what: `at most ${MAX_LABEL} characters`,
});
const unsignedShape = {
  type: literal(GROUP_TYPE),
  version: literal(1),
  principal: cid,
  beneficiary: cid,
  nodes: list(cid, { min: 1, max: MAX_NODES, unique: (c) => c.toString() }),
  t: integer(1, MAX_NODES),
  commitments: list(bytes(48), { min: 1, max: MAX_NODES }),
  ciphertext: anyCid,
  created: integer(0, MAX_TIME),
};
const groupSchema = struct({ ...unsignedShape, signature: bytes(96) }, { label, reshares: cid }) as Check<CustodyGroup>;

/** A group document read and checked: its bytes, its CID, its value. */
export interface VerifiedGroup {
  readonly cid: CID;
  readonly bytes: Uint8Array;
  readonly value: CustodyGroup;
}

/** What the principal fills in; `sign` signs with the principal's BLS key. */
export interface GroupFields {
  readonly principal: CID;
  readonly beneficiary: CID;
  readonly nodes: readonly CID[];
  readonly t: number;
  readonly commitments: readonly Uint8Array[];
  readonly ciphertext: CID;
  readonly label?: string;
  readonly created?: number;
  readonly reshares?: CID;
}

/** Shape rules the schema cannot say: t ≤ n and one commitment per coefficient. */
function assertThreshold(g: Pick<CustodyGroup, 't' | 'nodes' | 'commitments'>): void {
  if (g.t > g.nodes.length) refuse('malformed', `custody group: t = ${g.t} is more than its ${g.nodes.length} nodes`);
  if (g.commitments.length !== g.t) {
    refuse('malformed', `custody group: ${g.commitments.length} commitments for t = ${g.t} (one per coefficient)`);
  }
}

/** Builds, signs and encodes a group document. */
export async function createGroup(
  fields: GroupFields,
  sign: (message: Uint8Array) => Promise<Uint8Array> | Uint8Array,
): Promise<VerifiedGroup> {
  const unsigned = {
    type: GROUP_TYPE,
    version: 1 as const,
    principal: fields.principal,
    beneficiary: fields.beneficiary,
    nodes: [...fields.nodes],
    t: fields.t,
    commitments: [...fields.commitments],
    ciphertext: fields.ciphertext,
    created: fields.created ?? Date.now(),
    ...(fields.label !== undefined ? { label: fields.label } : {}),
    ...(fields.reshares !== undefined ? { reshares: fields.reshares } : {}),
  };
  assertThreshold(unsigned);
  const value = { ...unsigned, signature: await sign(signingInput(GROUP_DOMAIN, unsigned)) };
  const docBytes = encode(value, MAX_GROUP_BYTES);
  return { cid: cidOf(docBytes), bytes: docBytes, value: groupSchema(value, 'custody group') };
}

/** The principal's verified identity, by CID (the node: the order's sender; a client: from a node it trusts). */
export type PrincipalOf = (principal: CID) => Promise<Verified<IdentityDocument>>;

/**
 * Decodes and checks a group document: canonical DAG-CBOR, schema, t ≤ n, one commitment per coefficient, its CID
 * when `expected` is given, and the signature of its principal (as `principalOf` gives it, which must be the
 * document's principal). The commitments are points the caller checks with the core's vss (on the curve, in G1)
 * when it checks a share.
 */
export async function readGroup(
  bls: BlsSigner,
  docBytes: Uint8Array,
  principalOf: PrincipalOf,
  expected?: CID,
): Promise<VerifiedGroup> {
  const cidOfBytes = cidOf(docBytes);
  if (expected && !expected.equals(cidOfBytes)) refuse('mismatch', `custody group: the document is not ${expected}`);
  let value: CustodyGroup;
  try {
    value = groupSchema(decodeStrict(docBytes, MAX_GROUP_BYTES), 'custody group');
  } catch (e) {
    refuse('malformed', e instanceof Error ? e.message : 'custody group: not a group document');
  }
  assertThreshold(value);
  const principal = await principalOf(value.principal);
  if (!value.principal.equals(principal.cid)) refuse('bad_group', 'custody group: signed for another principal');
  const { signature, ...unsigned } = value;
  try {
    await assertSignature(bls, principal.value.keys.bls, signingInput(GROUP_DOMAIN, unsigned), signature, 'group');
  } catch (e) {
    if (e instanceof SignatureError) refuse('bad_group', "custody group: the principal's signature does not verify");
    throw e;
  }
  return { cid: cidOfBytes, bytes: docBytes, value };
}

/** The share index of `node` in the group (position + 1), or undefined when the group does not list it. */
export function indexOf(group: CustodyGroup, node: CID): number | undefined {
  const at = group.nodes.findIndex((n) => n.equals(node));
  return at < 0 ? undefined : at + 1;
}
