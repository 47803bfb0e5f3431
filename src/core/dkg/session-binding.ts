/**
 * What binds a DKG's proofs and signatures to one session and one sender, so that nothing can be
 * replayed into another session or claimed by another node: the message a proof of possession signs,
 * and the transcript hash every node signs in round 2.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CID } from 'multiformats/cid';
import { concat, utf8 } from '../bytes.ts';
import { encode } from '../protocol/cbor.ts';

const POP_DOMAIN = 'dta/custody/dkg/v1 pop';
const TRANSCRIPT_DOMAIN = utf8('dta/custody/dkg/v1 transcript\0');

/** DAG-CBOR(["dta/custody/dkg/v1 pop", session, sender]): what f_i(0) signs. */
export function popMessage(session: CID, sender: CID): Uint8Array {
  return encode([POP_DOMAIN, session, sender]);
}

/**
 * SHA-256("dta/custody/dkg/v1 transcript\0" || session CID || CID_1 || … || CID_n), the CIDs in binary,
 * CID_k naming node k's round-1 envelope. A CID is the SHA-256 of the bytes it names, so this covers
 * the session document and every round-1 message byte for byte, without hashing megabytes again.
 */
export function transcriptHash(session: CID, round1: readonly CID[]): Uint8Array {
  return sha256(concat(TRANSCRIPT_DOMAIN, session.bytes, ...round1.map((c) => c.bytes)));
}
