/**
 * The data that crosses the worker boundary: plain objects, strings, numbers and Uint8Arrays only (CIDs
 * travel as strings; DAG-CBOR values travel encoded, since structured cloning would strip CID objects).
 * @module
 */

export type { PasskeyInfo, Protection } from '../vault/db.ts';

import type { FreshConfirmation } from '../vault/vault.ts';

export type {
  BackupExportOptions,
  BackupImportOptions,
  FreshConfirmation,
  IdentityEntry,
  PasskeyEnrolment,
  VaultState,
} from '../vault/vault.ts';

/** A verified identity document, summarised. */
export interface IdentityInfo {
  readonly cid: string;
  readonly name: string;
  readonly created: number;
  /** The document's bytes (DAG-CBOR), as verified. */
  readonly document: Uint8Array;
  readonly blsPublicKey: Uint8Array;
  readonly endpoints: { readonly http: readonly string[]; readonly libp2p: readonly string[] };
  readonly plugins: readonly string[];
  /** 16 hex digits of the document's SHA-256 in groups of four, for people to compare. */
  readonly fingerprint: string;
}

/** An envelope to build and sign as the unlocked identity. */
export interface EnvelopeRequest {
  readonly type: string;
  /** Identity documents of the recipients (verified here; sealing uses their X-Wing keys). */
  readonly recipients?: readonly Uint8Array[];
  readonly previous?: string | null;
  readonly order?: string;
  /** DAG-CBOR encoding of the content (the page encodes it: contents cross the worker boundary as bytes). */
  readonly content: Uint8Array;
  /** Encrypt the content to the recipients (default false). */
  readonly sealed?: boolean;
  /** ms since the epoch; default now. */
  readonly created?: number;
}

export interface EnvelopeOut {
  readonly cid: string;
  readonly bytes: Uint8Array;
}

/** What verification needs besides the envelope: the identity documents of possible senders. */
export interface VerifyOptions {
  /** Identity documents (bytes) the sender may be among; the unlocked identity is always known. */
  readonly identities?: readonly Uint8Array[];
  /** The CID the envelope must have. */
  readonly expected?: string;
}

/** A verified envelope: header fields, and whether it is sealed and to the unlocked identity. */
export interface EnvelopeInfo {
  readonly cid: string;
  readonly type: string;
  readonly sender: string;
  readonly senderName: string;
  readonly recipients: readonly string[];
  readonly previous: string | null;
  readonly order: string;
  readonly created: number;
  readonly sealed: boolean;
  /** The unlocked identity is among the recipients. */
  readonly toMe: boolean;
}

export interface OpenedEnvelope {
  readonly info: EnvelopeInfo;
  /** DAG-CBOR encoding of the content (the page decodes it); absent when withheld. */
  readonly content?: Uint8Array;
  /** A reply carrying a share or a released secret (withheld.ts): verified, its content kept in the worker. */
  readonly withheld?: true;
}

export interface VerifyChainOptions extends VerifyOptions {
  /** The CID of the chain's last envelope. */
  readonly head: string;
  /** When given, every sender and recipient must be one of these identity CIDs. */
  readonly participants?: readonly string[];
}

export type BitcoinNetwork = 'mainnet' | 'testnet' | 'regtest';

/** A node as the page knows it: where it answers and the identity it must show there. */
export interface NodeRef {
  readonly url: string;
  /** The node's identity CID, as stored when the node was added. */
  readonly identity: string;
}

/** What bitcoin.recover takes: which order, at which node, with which of this identity's keys. Nothing else. */
export interface BitcoinRecoverArgs {
  readonly node: NodeRef;
  readonly order: string;
  readonly network: BitcoinNetwork;
  readonly index: number;
  /** Return the key itself (the person asked to see it); otherwise only the checked address. */
  readonly reveal?: boolean;
  /** With `reveal`: the person's fresh confirmation (vault.ts, FreshConfirmation), checked before any key is made. */
  readonly confirmation?: FreshConfirmation;
}

/** A retrieved Bitcoin key as the page gets it: the checked address and, when asked, the key. */
export interface BitcoinRecovered {
  readonly address: string;
  /** k·G, compressed. */
  readonly publicKey: Uint8Array;
  readonly network: BitcoinNetwork;
  readonly addressType: 'p2wpkh' | 'p2tr';
  /** The order's head after the redemption, and its envelopes (sealed as the node keeps them), for the record. */
  readonly head: string;
  readonly envelopes: readonly EnvelopeOut[];
  /** Only with `reveal`: k (32 bytes; the page wipes it when hidden) and its WIF. */
  readonly key?: { readonly privateKey: Uint8Array; readonly wif: string };
}

export type { MpinLoginAnswer, MpinLoginArgs, MpinRegisterArgs, MpinRegistered } from './mpin.ts';
export type { NodeReplyIn } from './node-reply.ts';
export type { SafeguardReleaseArgs } from './safeguard.ts';
