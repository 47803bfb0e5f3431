/**
 * The bytes of a log entry: one kind byte, then the binary CID of what the node accepted, emitted or registered.
 * The CID (CIDv1, dag-cbor, sha2-256) already holds the SHA-256 of the exact bytes, so an entry commits to them;
 * the kind byte keeps an envelope and an identity document apart even if one were ever read as the other.
 * Specified in docs/protocol.md#the-nodes-log.
 * @module
 */
import { CID } from 'multiformats/cid';

/** What an entry names. */
const ENTRY_KIND = Object.freeze({ envelope: 0x01, identity: 0x02 });
export type EntryKind = keyof typeof ENTRY_KIND;

/** The entry bytes for `cid` of `kind`. */
export function logEntry(kind: EntryKind, cid: CID): Uint8Array {
  const out = new Uint8Array(1 + cid.bytes.length);
  out[0] = ENTRY_KIND[kind];
  out.set(cid.bytes, 1);
  return out;
}

/** The CID an entry names, or undefined for bytes that are not an entry. */
export function entryCid(entry: Uint8Array): CID | undefined {
  if (entry[0] !== ENTRY_KIND.envelope && entry[0] !== ENTRY_KIND.identity) return undefined;
  try {
    return CID.decode(entry.subarray(1));
  } catch {
    return undefined;
  }
}
