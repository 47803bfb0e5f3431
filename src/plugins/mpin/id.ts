/**
 * Which M-Pin identity a dta identity may hold. The rule: the M-Pin ID of
 * an identity is the UTF-8 encoding of its identity CID in canonical form
 * (CIDv1, dag-cbor, sha2-256, base32 lower case, the "bafy..." string).
 * A node issues client-secret shares and permits for that ID only, and
 * only to a request signed by that identity: proving the identity proves
 * the M-Pin ID. No other name (an e-mail, a name field of the identity
 * document) is accepted, because nothing binds it to one identity only.
 * @module
 */
import { CID } from 'multiformats/cid';
import { MpinError } from './errors.ts';

const DAG_CBOR = 0x71;
const SHA2_256 = 0x12;

/** The M-Pin ID (bytes the core hashes) of an identity CID. */
export function mpinIdOf(identity: CID): Uint8Array {
  return new TextEncoder().encode(canonicalIdentity(identity));
}

/** The canonical string of an identity CID; throws for CIDs that cannot name an identity document. */
export function canonicalIdentity(identity: CID): string {
  if (identity.version !== 1 || identity.code !== DAG_CBOR || identity.multihash.code !== SHA2_256) {
    throw new MpinError('malformed', 'identity: not a CIDv1 dag-cbor sha2-256 CID');
  }
  return identity.toString();
}

/** Parses the `id` of a login: it must be an identity CID written in canonical form. */
export function parseMpinId(id: unknown): { readonly cid: CID; readonly bytes: Uint8Array } {
  if (typeof id !== 'string' || id.length === 0 || id.length > 128) throw new MpinError('malformed', 'id: expected an identity CID string');
  let cid: CID;
  try {
    cid = CID.parse(id);
  } catch {
    throw new MpinError('malformed', 'id: not a CID');
  }
  if (canonicalIdentity(cid) !== id) throw new MpinError('malformed', 'id: not in canonical form');
  return { cid, bytes: new TextEncoder().encode(id) };
}
