/**
 * Envelopes written by hand for the key-commitment tests: version 1 exactly as the code before version 2
 * sealed them (the content key itself as the AES-256-GCM key, no commitment), and envelopes whose key slots
 * carry keys of the test's choosing (what a dishonest sender does). Built from the protocol's own pieces
 * (HPKE, AES-GCM, DAG-CBOR, the signing input); no bytes copied from elsewhere.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { aes256gcm, hpke } from '../../src/core/crypto/index.ts';
import {
  cidOf,
  ENVELOPE_DOMAIN,
  ENVELOPE_KEY_INFO,
  type Envelope,
  type EnvelopeHeader,
  encode,
  type IdentityDocument,
  signingInput,
  type Verified,
} from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';

export interface HandSealed {
  readonly sender: { readonly cid: CID; readonly bls: Uint8Array };
  readonly version: 1 | 2;
  readonly recipients: readonly Verified<IdentityDocument>[];
  /** One content key per recipient, in order: the same key for an honest sender. */
  readonly keys: readonly Uint8Array[];
  readonly nonce: Uint8Array;
  /** The content's ciphertext and tag, made by the caller under any key it likes. */
  readonly ciphertext: Uint8Array;
  /** Version 2 only: the signed key commitment. */
  readonly commitment?: Uint8Array;
  readonly type?: string;
  readonly previous?: CID | null;
  readonly order?: string;
  readonly created?: number;
}

/** The header of a hand-sealed envelope: needed first, since it is the associated data of every AEAD. */
export function headerOf(h: Omit<HandSealed, 'keys' | 'nonce' | 'ciphertext' | 'commitment'>): EnvelopeHeader {
  return {
    type: h.type ?? 'note/send',
    version: h.version,
    sender: h.sender.cid,
    recipients: h.recipients.map((r) => r.cid),
    previous: h.previous ?? null,
    order: h.order ?? '',
    created: h.created ?? 1_700_000_000_000,
    nonce: new Uint8Array(16).fill(0x5a),
  };
}

/** Wraps each recipient's key, signs, encodes: an envelope that verifies, whatever its slots hold. */
export async function handSeal(core: Core, h: HandSealed): Promise<Verified<Envelope>> {
  const header = headerOf(h);
  const aad = encode(header);
  const keys = h.recipients.map((r, i) => {
    const { enc, ciphertext: wrapped } = hpke.seal(r.value.keys.xwing, ENVELOPE_KEY_INFO, aad, h.keys[i]!);
    return { recipient: r.cid, enc, wrapped };
  });
  const sealed = {
    nonce: h.nonce,
    ciphertext: h.ciphertext,
    keys,
    ...(h.commitment ? { commitment: h.commitment } : {}),
  };
  const body = { sealed };
  const signature = await core.bls.sign(h.sender.bls, signingInput(ENVELOPE_DOMAIN, { header, body }));
  const value: Envelope = { header, body, signature };
  const bytes = encode(value);
  return { cid: cidOf(bytes), bytes, value };
}

/** A version 1 sealed envelope as the code before version 2 wrote it: one content key, used as the AES key. */
export async function sealVersion1(
  core: Core,
  h: Omit<HandSealed, 'version' | 'keys' | 'nonce' | 'ciphertext'> & {
    readonly content: unknown;
  },
): Promise<Verified<Envelope>> {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = aes256gcm.seal(key, nonce, encode(headerOf({ ...h, version: 1 })), encode(h.content));
  return handSeal(core, { ...h, version: 1, keys: h.recipients.map(() => key), nonce, ciphertext });
}
