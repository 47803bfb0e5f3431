/**
 * The identities a node knows. An identity is known when it was registered
 * here (POST /v1/identities: the document is verified, kept durably under
 * `<home>/identities/` and pinned in Helia) or when it can be resolved: its
 * block is in the local blockstore or one of the connected peers serves it
 * over bitswap within the resolve timeout. Every document is verified
 * (schema, proof of possession, self-signature, CID) whenever it is read
 * from disk or the network; verified documents are cached in memory.
 * A registered identity is appended to the node's log (log/) before
 * `register` resolves, every time (the log keeps it once).
 * @module
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { createIdentityResolver, readIdentity } from '../core/protocol/index.ts';
import { logEntry } from '../core/protocol/log-entry.ts';
import type { BlockSource, IdentityDocument, IdentityResolver, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import { createDurable, readIfExists } from './fsutil.ts';
import type { NodeLog } from './log/types.ts';
import type { NodeStore } from './storage/helia.ts';

export class IdentityRegistry implements IdentityResolver {
  readonly #dir: string;
  readonly #core: Core;
  readonly #store: NodeStore;
  readonly #resolver: IdentityResolver;
  readonly #log: NodeLog | undefined;

  private constructor(dir: string, core: Core, store: NodeStore, timeoutMs: number, log?: NodeLog) {
    this.#dir = dir;
    this.#log = log;
    this.#core = core;
    this.#store = store;
    const blocks: BlockSource = {
      get: async (cid) => {
        const local = await readIfExists(this.#file(cid));
        if (local) return new Uint8Array(local);
        const bytes = await store.get(cid, { timeoutMs });
        if (!bytes) throw Object.assign(new Error('not found'), { name: 'NotFoundError' });
        return bytes;
      },
    };
    this.#resolver = createIdentityResolver(core.bls, blocks, { cacheSize: 4096 });
  }

  static async open(
    dir: string,
    core: Core,
    store: NodeStore,
    timeoutMs: number,
    log?: NodeLog,
  ): Promise<IdentityRegistry> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new IdentityRegistry(dir, core, store, timeoutMs, log);
  }

  #file(cid: CID): string {
    return join(this.#dir, `${cid.toString()}.cbor`);
  }

  /** Verifies and keeps a signed identity document; idempotent. */
  async register(docBytes: Uint8Array): Promise<{ identity: Verified<IdentityDocument>; created: boolean }> {
    const identity = await readIdentity(this.#core.bls, docBytes);
    const created = await createDurable(this.#file(identity.cid), identity.bytes, 0o644);
    await this.#store.put(identity.cid, identity.bytes);
    await this.#log?.append([logEntry('identity', identity.cid)]);
    return { identity, created };
  }

  /** The CIDs of every identity registered here (to backfill the log at start). */
  async registered(): Promise<CID[]> {
    const names = (await readdir(this.#dir)).filter((n) => n.endsWith('.cbor')).sort();
    return names.flatMap((n) => {
      try {
        return [CID.parse(n.slice(0, -'.cbor'.length))];
      } catch {
        return [];
      }
    });
  }

  /** True when the identity was registered here (not merely resolvable). */
  async isRegistered(cid: CID): Promise<boolean> {
    return (await readIfExists(this.#file(cid))) !== undefined;
  }

  resolve(cid: CID, options?: { signal?: AbortSignal }): Promise<Verified<IdentityDocument>> {
    return this.#resolver.resolve(cid, options);
  }
}
