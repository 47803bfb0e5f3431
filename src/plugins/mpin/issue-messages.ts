/**
 * The messages of M-Pin issuing, shared by the issuing node and its clients.
 *
 * Issuing goes through the node's order route, so that the node signs
 * each reply, seals it to the requester, commits it before it leaves and
 * never answers a request twice (a retry of a committed request is 409
 * replay; the client session reads the committed reply back). One order = one share.
 *
 * Request ("mpin/order", signed by the requester, plain or sealed to the node):
 *   { issue: "client-secret", enrolment: n }     s_i H(ID), once per node and ID, n = the node's current + 1
 *   { issue: "permit", date: <days> [, enrolment: n] }  s_i H(date || H(ID)), today or tomorrow (UTC),
 *                                                  current enrolment only
 *   { issue: "server-secret" }                   s_i Q, registered authentication servers only
 * ID = the M-Pin ID of (requester's identity CID, n) (id.ts); no enrolment = 0, the ID of old enrolments.
 * Reply ("mpin/order-reply", sealed to the requester only):
 *   { issue, share: bytes [, id: text] [, date: int] [, session: CID, index: int, t: int]
 *     [, document: bytes, commitments: bytes[]] }
 * session/index/t: from an issuer whose s_i is its share of a DKG (t-of-n, threshold.ts): the session's CID,
 * the issuer's 1-based index in it and the threshold; a server secret also carries the session document and
 * the DKG's Feldman commitments (public), so that an authentication server can check s_i Q against them.
 * G1 shares are 97 bytes (04 || x || y), G2 shares 192 bytes (Milagro's encodings).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { bytes, cid, integer, list, oneOf, struct, text } from '../../core/schema.ts';
import { G1_BYTES, G2_BYTES, parseMpinInput, u32Positive } from './codec.ts';
import { MpinError } from './errors.ts';
import { MAX_ENROLMENT } from './id.ts';

export const ISSUE_KINDS = ['client-secret', 'permit', 'server-secret'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export interface IssueRequest {
  readonly issue: IssueKind;
  readonly date?: number;
  /** Client secrets and permits: the enrolment of the M-Pin ID; absent = 0 (the identity CID alone). */
  readonly enrolment?: number;
}

const ISSUE_REQUEST = struct(
  { issue: oneOf(ISSUE_KINDS) },
  { date: u32Positive, enrolment: integer(1, MAX_ENROLMENT) },
);
const MAX_NODES = 255;
/** A DKG commitment: a compressed G1 point. */
const COMMITMENT_BYTES = 48;

const ISSUE_REPLY = struct(
  { issue: oneOf(ISSUE_KINDS), share: bytes({ min: G1_BYTES, max: G2_BYTES }) },
  {
    id: text({ maxBytes: 140 }),
    date: u32Positive,
    session: cid,
    index: integer(1, MAX_NODES),
    t: integer(1, MAX_NODES),
    document: bytes({ min: 1, max: 16_384 }),
    commitments: list(bytes(COMMITMENT_BYTES), { min: 1, max: MAX_NODES }),
  },
);

/** What a threshold issuer adds to a share: the DKG session its s_i comes from, its index there, and t. */
export interface ThresholdTag {
  readonly session: CID;
  readonly index: number;
  readonly t: number;
}

/** The session document and the DKG's commitments, carried by a threshold issuer's server-secret replies. */
export interface SessionGroup {
  readonly document: Uint8Array;
  readonly commitments: Uint8Array[];
}

/** A checked reply: the share, and from a threshold issuer its tag (and, for a server secret, its group). */
export interface IssueReply {
  readonly share: Uint8Array;
  readonly tag?: ThresholdTag;
  readonly group?: SessionGroup;
}

/** The content of an "mpin/order" envelope, checked field by field. */
export function parseIssueRequest(content: unknown): IssueRequest {
  const o = parseMpinInput(ISSUE_REQUEST, content, 'mpin order');
  const enrolment = o.enrolment === undefined ? {} : { enrolment: o.enrolment };
  if (o.issue === 'server-secret' && o.enrolment !== undefined) {
    throw new MpinError('malformed', 'mpin order: "enrolment" only with a client secret or a permit');
  }
  if (o.issue !== 'permit') {
    if (o.date !== undefined) throw new MpinError('malformed', 'mpin order: "date" only with a permit');
    return { issue: o.issue, ...enrolment };
  }
  if (o.date === undefined) throw new MpinError('malformed', 'mpin order: a permit needs a "date"');
  return { issue: o.issue, date: o.date, ...enrolment };
}

/** Checks a reply's content against what was asked (client side); `id` is the M-Pin ID asked for. */
export function parseIssueReply(content: unknown, asked: IssueRequest, id?: string): Uint8Array {
  return readIssueReply(content, asked, id).share;
}

/** parseIssueReply with the threshold fields: all of session, index, t or none; document, commitments together. */
export function readIssueReply(content: unknown, asked: IssueRequest, id?: string): IssueReply {
  const o = parseMpinInput(ISSUE_REPLY, content, 'mpin reply');
  const share = checkedShare(o, asked, id);
  const { session, index, t, document, commitments } = o;
  const tagged = [session, index, t].filter((x) => x !== undefined).length;
  if (tagged !== 0 && tagged !== 3) throw new MpinError('malformed', 'mpin reply: session, index and t go together');
  if ((document === undefined) !== (commitments === undefined) || (document !== undefined && tagged === 0)) {
    throw new MpinError('malformed', 'mpin reply: document and commitments go together, with a session');
  }
  const tag = session && index && t ? { tag: { session, index, t } } : {};
  const group = document && commitments ? { group: { document, commitments } } : {};
  return { share, ...tag, ...group };
}

type ReplyFields = ReturnType<typeof ISSUE_REPLY>;

function checkedShare(o: ReplyFields, asked: IssueRequest, id?: string): Uint8Array {
  const len = asked.issue === 'server-secret' ? G2_BYTES : G1_BYTES;
  if (o.issue !== asked.issue) throw new MpinError('malformed', 'mpin reply: answers another request');
  if (o.share.length !== len) throw new MpinError('malformed', `mpin reply: share must be ${len} bytes`);
  if (asked.issue !== 'server-secret' && o.id !== id) {
    throw new MpinError('malformed', 'mpin reply: issued for another M-Pin ID');
  }
  if (o.date !== asked.date) throw new MpinError('malformed', 'mpin reply: permit for another date');
  return o.share;
}
