/**
 * Documents by CID, from the best source available, always checked against
 * their CID here (whatever the source claims): first the browser's Helia
 * through verified-fetch (independent of any node's HTTP API), then the
 * HTTP API or bytes the app stored earlier. Every fetch says where the
 * bytes came from, so the views can show how each document was verified.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { checkCid } from '../../core/protocol/cbor.ts';
import type { BlockSource } from '../../core/protocol/types.ts';
import { dialableAddresses } from './gater.ts';
import type { BrowserIpfs } from './helia.ts';

/** How long to try to connect to the providers before falling back to other sources. */
const CONNECT_MS = 3000;

/** Where a document's bytes came from. `ipfs`: verified-fetch over the browser's Helia; `http`: a node's API; `stored`: this device. */
export type Via = 'ipfs' | 'http' | 'stored';

export interface FetchedDocument {
  readonly bytes: Uint8Array;
  readonly via: Via;
}

/** A fallback: the bytes of `cid` if this source has them, undefined if it does not. */
export type Fallback = (cid: CID, options: { signal?: AbortSignal }) => Promise<Uint8Array | undefined>;

export interface DocumentSources {
  /** The browser's Helia, if it runs (undefined: skip IPFS). */
  readonly ipfs?: () => Promise<BrowserIpfs | undefined>;
  /** libp2p addresses of the nodes to ask over bitswap. */
  readonly providers?: () => readonly string[];
  /** Tried in order when IPFS has nothing. */
  readonly fallbacks?: readonly { readonly via: Via; readonly get: Fallback }[];
  readonly ipfsTimeoutMs?: number;
}

/** Thrown when no source has the document (each failure named). */
export class DocumentUnavailableError extends Error {
  override name = 'DocumentUnavailableError';
}

/**
 * The block over IPFS, when the browser's Helia runs and reaches one of the providers. With no connection it
 * dials them first (briefly); when none answers it gives up at once rather than wait out the fetch's limit.
 */
async function fromIpfs(sources: DocumentSources, cid: CID, signal?: AbortSignal): Promise<Uint8Array | undefined> {
  const providers = dialableAddresses(sources.providers?.() ?? []);
  if (!sources.ipfs || providers.length === 0) return undefined;
  const ipfs = await sources.ipfs();
  if (!ipfs) return undefined;
  if (ipfs.peers().length === 0 && (await ipfs.connect(providers, CONNECT_MS)).length === 0) return undefined;
  return ipfs.fetchBlock(cid, providers, { timeoutMs: sources.ipfsTimeoutMs ?? 8000, ...(signal ? { signal } : {}) });
}

/** Fetches `cid` from the first source that has bytes hashing to it. */
export async function fetchDocument(
  sources: DocumentSources,
  cid: CID,
  options: { signal?: AbortSignal } = {},
): Promise<FetchedDocument> {
  const failures: string[] = [];
  const attempts: { via: Via; get: Fallback }[] = [
    { via: 'ipfs', get: (c, o) => fromIpfs(sources, c, o.signal) },
    ...(sources.fallbacks ?? []),
  ];
  for (const { via, get } of attempts) {
    try {
      const bytes = await get(cid, options);
      if (bytes === undefined) continue;
      checkCid(cid, bytes);
      return { bytes, via };
    } catch (e) {
      if (options.signal?.aborted) throw e;
      failures.push(`${via}: ${e instanceof Error ? e.name : 'error'}`);
    }
  }
  throw new DocumentUnavailableError(
    `document ${cid.toString()} is not available (${failures.join('; ') || 'no source'})`,
  );
}

/** A BlockSource for the protocol library (chains, identity resolvers) that records how each CID was obtained. */
export function recordingSource(
  sources: DocumentSources,
  seen: Map<string, Via> = new Map(),
): BlockSource & { readonly seen: Map<string, Via> } {
  return {
    seen,
    async get(cid, options) {
      const doc = await fetchDocument(sources, cid, options ?? {});
      seen.set(cid.toString(), doc.via);
      return doc.bytes;
    },
  };
}

/** A fallback over bytes already in hand (stored on this device, or a list the node sent). */
export function fromMap(docs: ReadonlyMap<string, Uint8Array>): Fallback {
  return async (cid) => docs.get(cid.toString());
}
