/**
 * The identities a node knows. An identity is known when it was registered
 * here (POST /v1/identities: the document is verified, kept durably under
 * `<home>/identities/` and pinned in Helia) or when it can be resolved: its
 * block is in the local blockstore or one of the connected peers serves it
 * over bitswap within the resolve timeout. Every document is verified
 * (schema, proof of possession, self-signature, CID) whenever it is read
 * from disk or the network; verified documents are cached in memory.
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CID } from 'multiformats/cid';
import { createIdentityResolver, readIdentity } from '../core/protocol/index.ts';
import type { BlockSource, IdentityDocument, IdentityResolver, Verified } from '../core/protocol/types.ts';
import type { Core } from '../core/types.ts';
import { createDurable, readIfExists } from './fsutil.ts';
import type { NodeStore } from './storage/helia.ts';

export class IdentityRegistry implements IdentityResolver {
  readonly #dir: string;
  readonly #core: Core;
  readonly #store: NodeStore;
  readonly #resolver: IdentityResolver;

  private constructor(dir: string, core: Core, store: NodeStore, timeoutMs: number) {
    this.#dir = dir;
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

  static async open(dir: string, core: Core, store: NodeStore, timeoutMs: number): Promise<IdentityRegistry> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new IdentityRegistry(dir, core, store, timeoutMs);
  }

  #file(cid: CID): string {
    return join(this.#dir, `${cid.toString()}.cbor`);
  }

  /** Verifies and keeps a signed identity document; idempotent. */
  async register(docBytes: Uint8Array): Promise<{ identity: Verified<IdentityDocument>; created: boolean }> {
    const identity = await readIdentity(this.#core.bls, docBytes);
    const created = await createDurable(this.#file(identity.cid), identity.bytes, 0o644);
    await this.#store.put(identity.cid, identity.bytes);
    return { identity, created };
  }

  /** True when the identity was registered here (not merely resolvable). */
  async isRegistered(cid: CID): Promise<boolean> {
    return (await readIfExists(this.#file(cid))) !== undefined;
  }

  resolve(cid: CID, options?: { signal?: AbortSignal }): Promise<Verified<IdentityDocument>> {
    return this.#resolver.resolve(cid, options);
  }
}
