/**
 * The flows' interfaces (context.ts) over the app worker (src/worker,
 * createAppWorker): envelopes are built, sealed, signed and opened in the
 * worker with the unlocked identity's keys; contents cross as DAG-CBOR
 * bytes (structured cloning would strip CID objects); public checks use
 * the worker's BLS through the protocol library on this page. Replies that carry a share or a released
 * secret are not opened for the page (WithheldContent): their own worker steps (mpin, bitcoin.recover,
 * safeguard.release) take them.
 * @module
 */
import * as Comlink from 'comlink';
import { CID } from 'multiformats/cid';
import { decodeStrict, encode } from '../../core/protocol/cbor.ts';
import { readIdentity } from '../../core/protocol/identity.ts';
import type { IdentityDocument, Verified } from '../../core/protocol/types.ts';
import type { RemoteAppApi } from '../../worker/app-worker-client.ts';
import type { FlowsCrypto, Signer, WithheldContent } from './context.ts';

export function flowsCryptoOf(api: RemoteAppApi): FlowsCrypto {
  const bls = api.core.bls;
  let cached: Verified<IdentityDocument> | undefined;

  const signerOf = (identity: Verified<IdentityDocument>): Signer => ({
    identity,
    async createEnvelope(draft) {
      const out = await api.protocol.createEnvelope({
        type: draft.type,
        recipients: (draft.recipients ?? []).map((r) => r.bytes),
        previous: draft.previous ? draft.previous.toString() : null,
        order: draft.order ?? '',
        content: encode(draft.content),
        sealed: draft.sealed ?? false,
        ...(draft.created !== undefined ? { created: draft.created } : {}),
      });
      return { cid: CID.parse(out.cid), bytes: out.bytes };
    },
    async openEnvelope(envelope) {
      const opened = await api.protocol.openEnvelope(envelope.bytes, {
        identities: envelope.sender.cid.equals(identity.cid) ? [] : [envelope.sender.bytes],
        expected: envelope.cid.toString(),
      });
      if (opened.withheld || !opened.content) return { withheld: opened.info.type } satisfies WithheldContent;
      return decodeStrict(opened.content);
    },
  });

  return {
    bls,
    mpin: {
      register: (args) => api.mpin.register(args),
      login: (args) => api.mpin.login(args),
      adoptToken: (args) => api.mpin.adoptToken(args),
      forget: (registration) => api.mpin.forget(registration),
    },
    bitcoin: {
      publicKey: (network, index) => api.bitcoin.publicKey(network, index),
      keyStatement: async (network, index) => (await api.bitcoin.keyStatement(network, index)).bytes,
      recover: (args) => api.bitcoin.recover(args),
    },
    safeguard: { release: (args) => api.safeguard.release(args) },
    // Progress callbacks cross the worker boundary as comlink proxies (called back from the worker).
    custody: {
      order: (args, onProgress, beforePlacing) =>
        api.custody.order(args, onProgress && Comlink.proxy(onProgress), beforePlacing && Comlink.proxy(beforePlacing)),
      place: (args, onProgress) => api.custody.place(args, onProgress && Comlink.proxy(onProgress)),
      retrieve: (args, onProgress) => api.custody.retrieve(args, onProgress && Comlink.proxy(onProgress)),
      reshare: (args, onProgress) => api.custody.reshare(args, onProgress && Comlink.proxy(onProgress)),
    },
    async signer() {
      const info = await api.vault.current();
      if (!info) return undefined;
      if (cached?.cid.toString() !== info.cid) cached = await readIdentity(bls, info.document, CID.parse(info.cid));
      return signerOf(cached);
    },
  };
}
