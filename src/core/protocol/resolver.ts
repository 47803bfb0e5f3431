/**
 * Identity resolvers: look identity documents up by CID and verify them on
 * every read. `createIdentityResolver` reads blocks (Helia's blockstore, a
 * node's API, verified-fetch) and keeps a bounded cache of documents it has
 * verified; `resolverOf` serves a fixed set of already verified documents.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { UnknownIdentityError } from './errors.ts';
import { readIdentity } from './identity.ts';
import type { BlockSource, BlsSigner, IdentityDocument, IdentityResolver, Verified } from './types.ts';

/** A resolver over a block source, caching up to `cacheSize` (default 1024) verified documents, least recently used out. */
export function createIdentityResolver(
  bls: BlsSigner,
  blocks: BlockSource,
  options: { cacheSize?: number } = {},
): IdentityResolver {
  const max = options.cacheSize ?? 1024;
  const cache = new Map<string, Verified<IdentityDocument>>();
  return {
    async resolve(cid: CID, opts?: { signal?: AbortSignal }): Promise<Verified<IdentityDocument>> {
      const key = cid.toString();
      const hit = cache.get(key);
      if (hit) {
        cache.delete(key);
        cache.set(key, hit);
        return hit;
      }
      let docBytes: Uint8Array;
      try {
        docBytes = await blocks.get(cid, opts);
      } catch (e) {
        if (opts?.signal?.aborted) throw e;
        throw new UnknownIdentityError(`identity ${key} not found (${e instanceof Error ? e.name : 'error'})`);
      }
      const identity = await readIdentity(bls, docBytes, cid);
      cache.set(key, identity);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return identity;
    },
  };
}

/** A resolver over identities that were already verified (readIdentity or createIdentity). */
export function resolverOf(identities: Iterable<Verified<IdentityDocument>>): IdentityResolver {
  const known = new Map<string, Verified<IdentityDocument>>();
  for (const identity of identities) known.set(identity.cid.toString(), identity);
  return {
    async resolve(cid: CID): Promise<Verified<IdentityDocument>> {
      const identity = known.get(cid.toString());
      if (!identity) throw new UnknownIdentityError(`identity ${cid.toString()} is not known`);
      return identity;
    },
  };
}
