/**
 * The dta protocol's documents, as data. Every document is DAG-CBOR,
 * addressed by its CID (CIDv1, dag-cbor, sha2-256) and stored in Helia.
 * An actor's identifier is the CID of its signed identity document; each
 * step of an order is a new envelope linking the previous one by CID, so an
 * order's history is an immutable, verifiable chain.
 *
 * Signatures: BLS min-pk (BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_) over
 *   DOMAIN || DAG-CBOR(document without its `signature` field),
 * with DOMAIN = "dta/identity/v1\0" or "dta/envelope/v1\0", so a signature on
 * one kind of document can never be replayed as another.
 * The byte-exact specification of every document: docs/protocol.md.
 * @module
 */
import type { CID } from 'multiformats/cid';

/** The BLS operations the protocol needs; `Core['bls']` from src/core satisfies it (sync or async). */
export interface BlsSigner {
  skToPk(sk: Uint8Array): Uint8Array | Promise<Uint8Array>;
  sign(sk: Uint8Array, msg: Uint8Array): Uint8Array | Promise<Uint8Array>;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): boolean | Promise<boolean>;
  popProve(sk: Uint8Array): Uint8Array | Promise<Uint8Array>;
  popVerify(pk: Uint8Array, proof: Uint8Array): boolean | Promise<boolean>;
}

/** The secrets behind an identity. Never serialized except through a keystore or an encrypted backup. */
export interface IdentitySecrets {
  readonly bls: Uint8Array; // 32-byte BLS secret key
  readonly xwing: Uint8Array; // 32-byte X-Wing seed
}

export interface IdentityDocument {
  readonly type: 'dta/identity';
  readonly version: 1;
  readonly name: string; // 1..128 UTF-8 bytes
  readonly created: number; // ms since the epoch
  readonly keys: {
    readonly bls: Uint8Array; // 48, compressed G1
    readonly pop: Uint8Array; // 96, proof of possession of the BLS key
    readonly xwing: Uint8Array; // 1216
  };
  readonly endpoints?: {
    readonly http?: readonly string[]; // absolute http(s) URLs
    readonly libp2p?: readonly string[]; // multiaddrs
  };
  readonly plugins?: readonly string[];
  readonly log?: { readonly origin: string; readonly key: Uint8Array }; // the node's log: origin, Ed25519 key (32)
  readonly signature: Uint8Array; // 96
}

export interface EnvelopeHeader {
  readonly type: string; // e.g. "order/create", "safeguard/deposit", "order/redeem", "request/..."
  readonly version: 1 | 2; // 2: sealed bodies carry a key commitment; 1 is only read (history)
  readonly sender: CID; // the sender's identity CID
  readonly recipients: readonly CID[]; // identity CIDs; may be empty for public envelopes
  readonly previous: CID | null; // the envelope this one follows in its order, if any
  readonly order: string; // the order id (CID string of the order's first envelope), "" for the first
  readonly created: number; // ms since the epoch
  readonly nonce: Uint8Array; // 16 random bytes
}

/** Content readable by anyone (public parts, requests that carry no secret). */
export interface PlainBody {
  readonly plain: unknown; // any DAG-CBOR value
}

/**
 * Content encrypted once with AES-256-GCM under a key derived from a random
 * 32-byte content key K, which is wrapped for each recipient with HPKE base
 * mode (X-Wing), info = "dta/envelope/v1 key", aad = DAG-CBOR(header). The
 * content AEAD also takes DAG-CBOR(header) as associated data. Version 2
 * carries `commitment`, derived from K, so every recipient opens the same
 * content; version 1 (no commitment) used K itself as the AES key.
 */
export interface SealedBody {
  readonly sealed: {
    readonly nonce: Uint8Array; // 12
    readonly ciphertext: Uint8Array; // content || 16-byte tag
    readonly commitment?: Uint8Array; // 32, version 2 only: the key commitment of K
    readonly keys: readonly { readonly recipient: CID; readonly enc: Uint8Array; readonly wrapped: Uint8Array }[];
  };
}

export interface Envelope {
  readonly header: EnvelopeHeader;
  readonly body: PlainBody | SealedBody;
  readonly signature: Uint8Array; // 96, by header.sender's BLS key
}

/** A document read back and checked: its bytes, its CID and the decoded value. */
export interface Verified<T> {
  readonly cid: CID;
  readonly bytes: Uint8Array;
  readonly value: T;
}

/** Looks up (and verifies) identity documents by CID: from Helia, a node's API, or a cache. */
export interface IdentityResolver {
  resolve(cid: CID, options?: { signal?: AbortSignal }): Promise<Verified<IdentityDocument>>;
}

/** Reads raw blocks by CID (Helia's blockstore, or verified-fetch in the browser). */
export interface BlockSource {
  get(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array>;
}
