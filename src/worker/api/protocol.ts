/**
 * Identity documents and envelopes, done in the worker with the unlocked identity's keys: build and sign
 * (optionally seal) envelopes, verify envelopes and chains against given identity documents, open what is
 * sealed to us. Nothing returned here holds a secret key; opened contents are what the sender meant us
 * to read.
 * @module
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import { toHex } from '../../core/bytes.ts';
import { decodeStrict, encode } from '../../core/protocol/cbor.ts';
import { verifyChain } from '../../core/protocol/chain.ts';
import {
  createEnvelope,
  decodeEnvelope,
  isSealed,
  openEnvelope,
  recipientOf,
  type VerifiedEnvelope,
  verifyEnvelope,
} from '../../core/protocol/envelope.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import { resolverOf } from '../../core/protocol/resolver.ts';
import type { BlockSource, BlsSigner, IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { Session } from '../vault/vault.ts';
import type {
  EnvelopeInfo,
  EnvelopeOut,
  EnvelopeRequest,
  IdentityInfo,
  OpenedEnvelope,
  VerifyChainOptions,
  VerifyOptions,
} from './types.ts';
import { isWithheld } from './withheld.ts';

const MAX_IDENTITIES = 256;

export function fingerprintOf(document: Uint8Array): string {
  const hex = toHex(sha256(document).subarray(0, 8));
  return hex.match(/.{4}/g)!.join(' ');
}

export function infoOfIdentity(v: Verified<IdentityDocument>): IdentityInfo {
  const d = v.value;
  return {
    cid: v.cid.toString(),
    name: d.name,
    created: d.created,
    document: v.bytes,
    blsPublicKey: d.keys.bls,
    endpoints: { http: [...(d.endpoints?.http ?? [])], libp2p: [...(d.endpoints?.libp2p ?? [])] },
    plugins: [...(d.plugins ?? [])],
    fingerprint: fingerprintOf(v.bytes),
  };
}

function infoOfEnvelope(env: VerifiedEnvelope, me: string | null): EnvelopeInfo {
  const h = env.value.header;
  const recipients = h.recipients.map(String);
  return {
    cid: env.cid.toString(),
    type: h.type,
    sender: h.sender.toString(),
    senderName: env.sender.value.name,
    recipients,
    previous: h.previous?.toString() ?? null,
    order: h.order,
    created: h.created,
    sealed: isSealed(env.value.body),
    toMe: me !== null && recipients.includes(me),
  };
}

export interface ProtocolDeps {
  readonly bls: BlsSigner;
  /** The unlocked identity (throws VaultLockedError when none). */
  readonly session: () => Session;
  /** The unlocked identity, or null, without throwing. */
  readonly maybeSession: () => Session | null;
}

export function protocolApi(deps: ProtocolDeps) {
  const { bls } = deps;
  const readAll = async (docs: readonly Uint8Array[] = []) => {
    if (docs.length > MAX_IDENTITIES) throw new RangeError(`at most ${MAX_IDENTITIES} identity documents`);
    const verified = await Promise.all(docs.map((d) => readIdentity(bls, d)));
    const me = deps.maybeSession();
    return me ? [me.identity, ...verified] : verified;
  };
  const verifyOne = async (bytes: Uint8Array, opts: VerifyOptions = {}) => {
    const expected = opts.expected !== undefined ? CID.parse(opts.expected) : undefined;
    return verifyEnvelope(bls, decodeEnvelope(bytes, expected), resolverOf(await readAll(opts.identities)));
  };
  const myCid = () => deps.maybeSession()?.identity.cid.toString() ?? null;

  return {
    /** Verifies an identity document (schema, proof of possession, signature, and CID when given). */
    async readIdentity(document: Uint8Array, expected?: string): Promise<IdentityInfo> {
      return infoOfIdentity(
        await readIdentity(bls, document, expected !== undefined ? CID.parse(expected) : undefined),
      );
    },

    /** Builds, signs (and seals, when asked) an envelope from the unlocked identity. */
    async createEnvelope(req: EnvelopeRequest): Promise<EnvelopeOut> {
      const { identity, secrets } = deps.session();
      const recipients = await Promise.all(
        (req.recipients ?? []).map(async (d) => recipientOf(await readIdentity(bls, d))),
      );
      const env = await createEnvelope(bls, secrets.bls, {
        type: req.type,
        sender: identity.cid,
        recipients,
        previous: req.previous ? CID.parse(req.previous) : null,
        order: req.order ?? '',
        content: decodeStrict(req.content),
        sealed: req.sealed ?? false,
        ...(req.created !== undefined ? { created: req.created } : {}),
      });
      return { cid: env.cid.toString(), bytes: env.bytes };
    },

    /** Verifies an envelope's structure and its sender's signature. */
    async verifyEnvelope(bytes: Uint8Array, opts: VerifyOptions = {}): Promise<EnvelopeInfo> {
      return infoOfEnvelope(await verifyOne(bytes, opts), myCid());
    },

    /**
     * Verifies an envelope, then opens it with the unlocked identity (plain bodies need no key). Replies that carry
     * a share or a released secret (withheld.ts) are verified but not opened: their content stays in the worker.
     */
    async openEnvelope(bytes: Uint8Array, opts: VerifyOptions = {}): Promise<OpenedEnvelope> {
      const env = await verifyOne(bytes, opts);
      const info = infoOfEnvelope(env, myCid());
      if (isWithheld(info.type)) return { info, withheld: true };
      const body = env.value.body;
      if (!isSealed(body)) return { info, content: encode(body.plain) };
      const { identity, secrets } = deps.session();
      return { info, content: encode(openEnvelope(env, { cid: identity.cid, xwing: secrets.xwing })) };
    },

    /** Verifies the chain ending at `head` from the given envelope bytes (any order); first to last. */
    async verifyChain(envelopes: readonly Uint8Array[], opts: VerifyChainOptions): Promise<EnvelopeInfo[]> {
      const byCid = new Map(envelopes.map((b) => [decodeEnvelope(b).cid.toString(), b] as const));
      const blocks: BlockSource = {
        async get(cid) {
          const b = byCid.get(cid.toString());
          if (!b) throw new Error(`envelope ${cid.toString()} was not given`);
          return b;
        },
      };
      const participants = opts.participants?.map((c) => CID.parse(c));
      const steps = await verifyChain(
        bls,
        blocks,
        CID.parse(opts.head),
        resolverOf(await readAll(opts.identities)),
        participants ? { participants } : {},
      );
      const me = myCid();
      return steps.map((s) => infoOfEnvelope(s, me));
    },
  };
}

export type ProtocolApi = ReturnType<typeof protocolApi>;
