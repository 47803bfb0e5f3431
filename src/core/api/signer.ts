/**
 * Who signs a session's requests. The session never holds private keys
 * itself: the caller supplies a Signer, so the app's identity (keys held in
 * its worker) and a script's identity (keys in memory: keySigner) fit the
 * same client.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { createEnvelope, openEnvelope, recipientOf, type VerifiedEnvelope } from '../protocol/envelope.ts';
import type { BlsSigner, IdentityDocument, IdentitySecrets, Verified } from '../protocol/types.ts';

/** An envelope to build as the signer's identity. */
export interface EnvelopeDraft {
  readonly type: string;
  /** Verified identity documents of the recipients (sealing uses their X-Wing keys). */
  readonly recipients?: readonly Verified<IdentityDocument>[];
  readonly previous?: CID | null;
  readonly order?: string;
  /** Any DAG-CBOR value. */
  readonly content: unknown;
  /** Default false: a plain envelope. */
  readonly sealed?: boolean;
  /** The creation time (ms since the epoch); now when absent. */
  readonly created?: number;
}

/** An identity that signs envelopes and opens those sealed to it. */
export interface Signer {
  /** The identity's document (its CID is the identity). */
  readonly identity: Verified<IdentityDocument>;
  createEnvelope(draft: EnvelopeDraft): Promise<{ readonly cid: CID; readonly bytes: Uint8Array }>;
  /** The content of a verified envelope: plain, or opened with this identity's key (NotRecipientError if not ours). */
  openEnvelope(envelope: VerifiedEnvelope): Promise<unknown>;
}

/** An identity with its secret keys in memory (scripts, the CLI, a node calling another node, tests). */
export interface KeyIdentity {
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
}

/** A Signer over in-memory keys. */
export function keySigner(bls: BlsSigner, me: KeyIdentity): Signer {
  return {
    identity: me.identity,
    createEnvelope: (draft) =>
      createEnvelope(bls, me.secrets.bls, {
        type: draft.type,
        sender: me.identity.cid,
        recipients: (draft.recipients ?? []).map(recipientOf),
        previous: draft.previous ?? null,
        order: draft.order ?? '',
        content: draft.content,
        sealed: draft.sealed ?? false,
        ...(draft.created !== undefined ? { created: draft.created } : {}),
      }),
    openEnvelope: async (envelope) => openEnvelope(envelope, { cid: me.identity.cid, xwing: me.secrets.xwing }),
  };
}
