/**
 * Verifies an order's chain of envelopes and says, envelope by envelope,
 * what was verified and how: where the bytes came from (the browser's
 * Helia through verified-fetch, a node's HTTP API, or this device), that
 * they hash to their CID, that the sender's signature verifies with its
 * identity document (itself fetched by CID and verified), and whether the
 * envelope is on the chain that verifyChain accepts from the head
 * (links, order id, parties, times).
 * @module
 */
import { CID } from 'multiformats/cid';
import type { NodeApi } from '../../core/api/node-api.ts';
import { verifyChain } from '../../core/protocol/chain.ts';
import { decodeEnvelope, isSealed, type VerifiedEnvelope, verifyEnvelope } from '../../core/protocol/envelope.ts';
import { createIdentityResolver } from '../../core/protocol/resolver.ts';
import type { BlsSigner, IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import {
  type DocumentSources,
  type FetchedDocument,
  fetchDocument,
  fromMap,
  recordingSource,
  type Via,
} from '../ipfs/documents.ts';
import type { BrowserIpfs } from '../ipfs/helia.ts';
import type { ChainCheck, StepCheck, StoredEnvelope } from './model.ts';

export interface ChainInput {
  readonly head: string;
  /** Envelopes known (from the node's history or stored), oldest first. */
  readonly envelopes: readonly StoredEnvelope[];
  /** How the envelopes' bytes were obtained (`http`: just now from the node; `stored`: from this device). */
  readonly bytesVia: Via;
  /** libp2p addresses of the nodes to ask over IPFS. */
  readonly providers: readonly string[];
  /** Identity documents already verified (this device's, the nodes'). */
  readonly known: readonly Verified<IdentityDocument>[];
  /** A node to ask for identity documents it knows (by CID; checked here). */
  readonly api?: NodeApi;
}

export interface ChainComponents {
  readonly bls: BlsSigner;
  readonly ipfs?: () => Promise<BrowserIpfs | undefined>;
  readonly now: number;
}

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function identitySources(c: ChainComponents, input: ChainInput): DocumentSources {
  const known = new Map(input.known.map((k) => [k.cid.toString(), k.bytes] as const));
  const api = input.api;
  return {
    ...(c.ipfs ? { ipfs: c.ipfs } : {}),
    providers: () => input.providers,
    fallbacks: [
      { via: 'stored', get: fromMap(known) },
      ...(api
        ? [
            {
              via: 'http' as const,
              get: (cid: CID, o: { signal?: AbortSignal }) => api.identityBytes(cid.toString(), o),
            },
          ]
        : []),
    ],
  };
}

/** One envelope on its own: fetched by CID (checked), then its signature. */
async function checkStep(
  c: ChainComponents,
  sources: DocumentSources,
  ids: IdentityResolver,
  e: StoredEnvelope,
  fetched: Map<string, FetchedDocument>,
): Promise<StepCheck> {
  const base = {
    cid: e.cid,
    type: e.type,
    sender: e.sender,
    recipients: e.recipients,
    created: e.created,
    sealed: false,
  };
  let doc: FetchedDocument;
  try {
    doc = await fetchDocument(sources, CID.parse(e.cid));
  } catch (err) {
    return { ...base, cidVerified: false, signatureVerified: false, onChain: false, error: errorText(err) };
  }
  fetched.set(e.cid, doc);
  let env: VerifiedEnvelope;
  try {
    env = await verifyEnvelope(c.bls, decodeEnvelope(doc.bytes, CID.parse(e.cid)), ids);
  } catch (err) {
    return {
      ...base,
      via: doc.via,
      cidVerified: true,
      signatureVerified: false,
      onChain: false,
      error: errorText(err),
    };
  }
  const h = env.value.header;
  return {
    cid: e.cid,
    type: h.type,
    sender: h.sender.toString(),
    recipients: h.recipients.map(String),
    created: h.created,
    sealed: isSealed(env.value.body),
    via: doc.via,
    cidVerified: true,
    signatureVerified: true,
    onChain: false,
  };
}

export interface ChainResult {
  readonly check: ChainCheck;
  /** The identity documents that verified on the way (to keep for offline checks). */
  readonly documents: readonly Verified<IdentityDocument>[];
}

/** Verifies every envelope, then the chain from `head`; never throws for a bad chain (it is reported). */
export async function checkChain(c: ChainComponents, input: ChainInput): Promise<ChainResult> {
  const envSources: DocumentSources = {
    ...(c.ipfs ? { ipfs: c.ipfs } : {}),
    providers: () => input.providers,
    fallbacks: [{ via: input.bytesVia, get: fromMap(new Map(input.envelopes.map((e) => [e.cid, e.bytes] as const))) }],
  };
  const seen = new Map<string, Via>();
  const ids = createIdentityResolver(c.bls, recordingSource(identitySources(c, input), seen));
  const fetched = new Map<string, FetchedDocument>();
  // Envelopes are fetched and checked side by side (each an IPFS round trip when the browser's Helia is used).
  const steps: StepCheck[] = await Promise.all(input.envelopes.map((e) => checkStep(c, envSources, ids, e, fetched)));
  let onChain = new Set<string>();
  let verified = false;
  let error: string | undefined;
  try {
    const blocks = {
      get: async (cid: CID) => fetched.get(cid.toString())?.bytes ?? Promise.reject(new Error('not fetched')),
    };
    const chain = await verifyChain(c.bls, blocks, CID.parse(input.head), ids);
    onChain = new Set(chain.map((s) => s.cid.toString()));
    verified = true;
  } catch (err) {
    error = errorText(err);
  }
  const identities: Record<string, { name: string; via: Via }> = {};
  const documents: Verified<IdentityDocument>[] = [];
  for (const [cid, via] of seen) {
    try {
      const doc = await ids.resolve(CID.parse(cid));
      identities[cid] = { name: doc.value.name, via };
      documents.push(doc);
    } catch {
      // fetched but did not verify: it stays unnamed
    }
  }
  const check: ChainCheck = {
    at: c.now,
    head: input.head,
    steps: steps.map((s) => ({ ...s, onChain: onChain.has(s.cid) })),
    verified,
    ...(error ? { error } : {}),
    identities,
  };
  return { check, documents };
}
