/**
 * Which M-Pin identity a dta identity may hold. The M-Pin ID names an
 * identity CID and an enrolment number n:
 *   n = 0   the identity CID string alone (canonical: CIDv1, dag-cbor,
 *           sha2-256, base32 lower case, "bafy..."), the ID of every
 *           enrolment made before issuers kept records; no longer issued,
 *           still valid until the identity enrols again;
 *   n >= 1  "<identity CID>#<n>", n in decimal without leading zeros.
 * Enrolling again takes the next n: a new ID, whose first issue revokes the
 * older ones at the issuers (enrolments.ts in the node's half). A node
 * issues shares and permits for an ID only to a request signed by its
 * identity: proving the identity proves the M-Pin ID. No other name (an
 * e-mail, a name field) is accepted, because nothing binds it to one identity.
 * @module
 */
import { CID } from 'multiformats/cid';
import { utf8 } from '../../core/bytes.ts';
import { MpinError } from './errors.ts';

const DAG_CBOR = 0x71;
const SHA2_256 = 0x12;
/** The largest enrolment number (32 bits, like the dates and times of the protocol). */
export const MAX_ENROLMENT = 0xffffffff;
const ENROLMENT_RE = /^[1-9][0-9]{0,9}$/;

/** An M-Pin ID, parsed: its identity, its enrolment, its canonical string and the bytes the core hashes. */
export interface MpinId {
  readonly cid: CID;
  readonly enrolment: number;
  readonly text: string;
  readonly bytes: Uint8Array;
}

/** The canonical string of the M-Pin ID of (identity, enrolment). */
export function mpinIdText(identity: CID, enrolment = 0): string {
  const cid = canonicalIdentity(identity);
  if (!Number.isSafeInteger(enrolment) || enrolment < 0 || enrolment > MAX_ENROLMENT) {
    throw new MpinError('malformed', 'enrolment: an integer from 0 to 2^32 - 1');
  }
  return enrolment === 0 ? cid : `${cid}#${enrolment}`;
}

/** The M-Pin ID (bytes the core hashes) of an identity CID and an enrolment (0: the identity CID alone). */
export function mpinIdOf(identity: CID, enrolment = 0): Uint8Array {
  return utf8(mpinIdText(identity, enrolment));
}

/** The canonical string of an identity CID; throws for CIDs that cannot name an identity document. */
export function canonicalIdentity(identity: CID): string {
  if (identity.version !== 1 || identity.code !== DAG_CBOR || identity.multihash.code !== SHA2_256) {
    throw new MpinError('malformed', 'identity: not a CIDv1 dag-cbor sha2-256 CID');
  }
  return identity.toString();
}

/** An identity CID written in canonical form (the identity part of an M-Pin ID). */
export function parseIdentity(text: unknown, what = 'id'): CID {
  if (typeof text !== 'string' || text.length === 0 || text.length > 128) {
    throw new MpinError('malformed', `${what}: expected an identity CID string`);
  }
  let cid: CID;
  try {
    cid = CID.parse(text);
  } catch {
    throw new MpinError('malformed', `${what}: not a CID`);
  }
  if (canonicalIdentity(cid) !== text) throw new MpinError('malformed', `${what}: not in canonical form`);
  return cid;
}

/** Parses the `id` of a login: "<identity CID>" (enrolment 0) or "<identity CID>#<n>", in canonical form. */
export function parseMpinId(id: unknown): MpinId {
  if (typeof id !== 'string' || id.length === 0 || id.length > 140) {
    throw new MpinError('malformed', 'id: expected an M-Pin ID (identity CID, "#" and enrolment)');
  }
  const hash = id.indexOf('#');
  const cid = parseIdentity(hash < 0 ? id : id.slice(0, hash));
  let enrolment = 0;
  if (hash >= 0) {
    const n = id.slice(hash + 1);
    if (!ENROLMENT_RE.test(n) || Number(n) > MAX_ENROLMENT) {
      throw new MpinError('malformed', 'id: the enrolment is 1 to 2^32 - 1, in decimal without leading zeros');
    }
    enrolment = Number(n);
  }
  return { cid, enrolment, text: id, bytes: utf8(id) };
}
