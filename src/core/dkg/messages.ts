/**
 * The DKG's documents and message contents (docs/protocol.md#distributed-key-generation-and-resharing):
 * the session document `dta/custody-dkg` v1, named by its CID (the session id), and the contents of the
 * two envelopes each node signs, `custody/dkg-round1` (commitments, proof of possession, one sealed
 * share per other node) and `custody/dkg-round2` (the transcript hash it signs).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { randomBytes } from '../bytes.ts';
import { xwing } from '../crypto/xwing.ts';
import { cidOf, decodeStrict, encode } from '../protocol/cbor.ts';
import { MAX_TIME } from '../protocol/identity.ts';
import type { Verified } from '../protocol/types.ts';
import { bytes, type Check, cid, integer, list, literal, oneOf, struct, text } from '../schema.ts';
import { ABORT_REASONS, type AbortReason, DkgError } from './errors.ts';
import type { GroupName } from './group.ts';

const SESSION_TYPE = 'dta/custody-dkg';
export const ROUND1_TYPE = 'custody/dkg-round1';
export const ROUND2_TYPE = 'custody/dkg-round2';
export const ABORT_TYPE = 'custody/dkg-abort';
const MAX_NODES = 255;
const SESSION_NONCE_BYTES = 16;
/** A sealed share: a 32-byte scalar and its 16-byte AES-GCM tag. */
const SEALED_SHARE_BYTES = 32 + 16;
/** Room for a compressed point of either group (48 on BLS12-381, 33 on secp256k1). */
const MAX_POINT_BYTES = 48;

export interface DkgSession {
  readonly type: typeof SESSION_TYPE;
  readonly version: 1;
  readonly group: GroupName;
  /** The participants' identity CIDs; node k (1-based) gets share index k. */
  readonly nodes: CID[];
  readonly t: number;
  /** What the key is for, e.g. "bitcoin fiduciary key" (1..128 bytes). */
  readonly purpose: string;
  readonly created: number;
  readonly nonce: Uint8Array;
}

const sessionSchema = struct({
  type: literal(SESSION_TYPE),
  version: literal(1),
  group: oneOf<GroupName>(['bls12-381', 'secp256k1']),
  nodes: list(cid, { min: 2, max: MAX_NODES, unique: (c) => c.toString() }),
  t: integer(1, MAX_NODES),
  purpose: text({ minBytes: 1, maxBytes: 128, what: 'a purpose' }),
  created: integer(0, MAX_TIME),
  nonce: bytes(SESSION_NONCE_BYTES),
}) as Check<DkgSession>;

/** One share f_i(j), sealed to node j alone (HPKE, share-seal.ts). */
export interface SealedShare {
  readonly recipient: CID;
  readonly enc: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface Round1Content {
  readonly session: CID;
  /** The sender's share index (its 1-based position in the session's nodes). */
  readonly index: number;
  /** C_i,j = a_i,j·G for j = 0..t−1, compressed. */
  readonly commitments: Uint8Array[];
  /** Proof of possession of f_i(0) = a_i,0 bound to the session and the sender (session-binding.ts). */
  readonly pop: Uint8Array;
  /** One per other node, in session order. */
  readonly shares: SealedShare[];
}

export const round1Schema = struct({
  session: cid,
  index: integer(1, MAX_NODES),
  commitments: list(bytes({ min: 1, max: MAX_POINT_BYTES }), { min: 1, max: MAX_NODES }),
  pop: bytes({ min: 1, max: 96 }),
  shares: list(struct({ recipient: cid, enc: bytes(xwing.encBytes), ciphertext: bytes(SEALED_SHARE_BYTES) }), {
    max: MAX_NODES - 1,
  }),
}) as Check<Round1Content>;

export interface Round2Content {
  readonly session: CID;
  /** session-binding.ts: SHA-256 over the session and the n round-1 envelopes, in node order. */
  readonly transcript: Uint8Array;
  /** Y = Σ_i C_i,0, as the sender computed it. */
  readonly groupKey: Uint8Array;
}

export const round2Schema = struct({
  session: cid,
  transcript: bytes(32),
  groupKey: bytes({ min: 1, max: MAX_POINT_BYTES }),
}) as Check<Round2Content>;

/** Why a node gave up: its reason and the 1-based indices of the nodes it blames. */
export interface AbortContent {
  readonly session: CID;
  readonly reason: AbortReason;
  readonly nodes: number[];
}

export const abortSchema = struct({
  session: cid,
  reason: oneOf<AbortReason>(ABORT_REASONS),
  nodes: list(integer(1, MAX_NODES), { max: MAX_NODES }),
}) as Check<AbortContent>;

/** Rules across fields: 1 ≤ t ≤ n. */
function checkSession(s: DkgSession): DkgSession {
  if (s.t > s.nodes.length)
    throw new DkgError('bad_session', `session.t: ${s.t} is more than the ${s.nodes.length} nodes`);
  return s;
}

export interface SessionFields {
  readonly group: GroupName;
  readonly nodes: readonly CID[];
  readonly t: number;
  readonly purpose: string;
  readonly created?: number;
}

/** A new session document (a fresh nonce makes every session id unique). */
export function createSession(fields: SessionFields): Verified<DkgSession> {
  const doc = {
    type: SESSION_TYPE,
    version: 1,
    group: fields.group,
    nodes: [...fields.nodes],
    t: fields.t,
    purpose: fields.purpose,
    created: fields.created ?? Date.now(),
    nonce: randomBytes(SESSION_NONCE_BYTES),
  };
  return readSession(encode(doc));
}

/** Decodes and checks a session document; throws DkgError('bad_session'). */
export function readSession(docBytes: Uint8Array): Verified<DkgSession> {
  try {
    const value = checkSession(sessionSchema(decodeStrict(docBytes), 'session'));
    return { cid: cidOf(docBytes), bytes: docBytes, value };
  } catch (e) {
    if (e instanceof DkgError) throw e;
    throw new DkgError('bad_session', e instanceof Error ? e.message : 'session: not a session document');
  }
}
