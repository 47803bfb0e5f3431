/**
 * The identities a node knows. An identity is known when it was registered
 * here (POST /v1/identities: the document is verified, kept durably in the
 * storage backend's identity documents, `<home>/identities/` or PostgreSQL,
 * and pinned in Helia) or when it can be resolved: its
 * block is in the local blockstore or one of the connected peers serves it
 * over bitswap within the resolve timeout. Every document is verified
 * (schema, proof of possession, self-signature, CID) whenever it is read
 * from disk or the network; verified documents are cached in memory.
 * A registered identity is appended to the node's log (log/) before
 * `register` resolves, every time (the log keeps it once).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { createIdentityResolver, readIdentity } from '../core/protocol/index.ts';
import { logEntry } from '../core/protocol/log-entry.ts';
import type { BlockSource, IdentityDocument, IdentityResolver, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import type { NodeLog } from './log/types.ts';
import type { IdentityDocuments } from './storage/backend.ts';
import type { NodeStore } from './storage/helia.ts';

export class IdentityRegistry implements IdentityResolver {
  readonly #documents: IdentityDocuments;
  readonly #core: Core;
  readonly #store: NodeStore;
  readonly #resolver: IdentityResolver;
  readonly #log: NodeLog | undefined;

  private constructor(documents: IdentityDocuments, core: Core, store: NodeStore, timeoutMs: number, log?: NodeLog) {
    this.#documents = documents;
    this.#log = log;
    this.#core = core;
    this.#store = store;
    const blocks: BlockSource = {
      get: async (cid) => {
        const local = await documents.get(cid);
        if (local) return local;
        const bytes = await store.get(cid, { timeoutMs });
        if (!bytes) throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
        return bytes;
      },
    };
    this.#resolver = createIdentityResolver(core.bls, blocks, { cacheSize: 4096 });
  }

  static async open(
    documents: IdentityDocuments,
    core: Core,
    store: NodeStore,
    timeoutMs: number,
    log?: NodeLog,
  ): Promise<IdentityRegistry> {
    return new IdentityRegistry(documents, core, store, timeoutMs, log);
  }

  /** Verifies and keeps a signed identity document; idempotent. */
  async register(docBytes: Uint8Array): Promise<{ identity: Verified<IdentityDocument>; created: boolean }> {
    const identity = await readIdentity(this.#core.bls, docBytes);
    const created = await this.#documents.create(identity.cid, identity.bytes);
    await this.#store.put(identity.cid, identity.bytes);
    await this.#log?.append([logEntry('identity', identity.cid)]);
    return { identity, created };
  }

  /** The CIDs of every identity registered here (to backfill the log at start). */
  registered(): Promise<CID[]> {
    return this.#documents.list();
  }

  /** True when the identity was registered here (not merely resolvable). */
  async isRegistered(cid: CID): Promise<boolean> {
    return (await this.#documents.get(cid)) !== undefined;
  }

  resolve(cid: CID, options?: { signal?: AbortSignal }): Promise<Verified<IdentityDocument>> {
    return this.#resolver.resolve(cid, options);
  }
}
