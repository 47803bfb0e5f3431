/**
 * Validated BLS public keys, kept per in-thread BLS implementation, so that a
 * sender seen before is not decompressed and subgroup-checked again at every
 * envelope it signs. A key enters the cache only once core.bls.publicKey has
 * decoded and KeyValidated it; a key that fails is never kept, so it fails
 * again, with the same error, every time. Keys are public: nothing secret is
 * held. The cache is a bounded LRU (a Map in use order).
 *
 * Only an in-thread core (a BlsApi with publicKey and fastAggregateVerify)
 * can use handles; a worker proxy or any other BlsSigner is given bytes, as
 * before. Verifying one signature through FastAggregateVerify with the one
 * validated key is CoreVerify(pk, msg, sig), i.e. Verify without repeating
 * KeyValidate (draft-irtf-cfrg-bls-signature-05, 2.7 and 3.3.4).
 * @module
 */
import { BlsPublicKey } from '../bls-batch.ts';
import { BadArgumentError } from '../errors.ts';
import type { BlsApi } from '../types.ts';
import type { BlsSigner } from './types.ts';

/** The most keys kept per BLS implementation; the least recently used goes first. */
export const MAX_CACHED_BLS_KEYS = 256;

type HandleVerifier = Pick<BlsApi, 'publicKey' | 'fastAggregateVerify'>;

const cachesByImplementation = new WeakMap<object, Map<string, BlsPublicKey>>();

/**
 * True for an in-thread core's BLS. A comlink proxy answers every property
 * read with a callable, but `in` sees no property of its own, so a remote
 * BLS is never asked for a handle (which could not cross the boundary).
 */
function usesHandles(bls: BlsSigner): bls is BlsSigner & HandleVerifier {
  return (
    'publicKey' in bls &&
    'fastAggregateVerify' in bls &&
    typeof bls.publicKey === 'function' &&
    typeof bls.fastAggregateVerify === 'function'
  );
}

/** One UTF-16 unit per byte: a distinct string per key, cheaper to build than hex (keys are public). */
function cacheKey(pk: Uint8Array): string {
  let s = '';
  for (let i = 0; i < pk.length; i++) s += String.fromCharCode(pk[i]!);
  return s;
}

/** The validated handle of `pk`, decoded and checked the first time only; throws what publicKey throws. */
export function validatedBlsKey(bls: HandleVerifier, pk: Uint8Array): BlsPublicKey {
  let cache = cachesByImplementation.get(bls);
  if (!cache) {
    cache = new Map();
    cachesByImplementation.set(bls, cache);
  }
  const id = cacheKey(pk);
  const known = cache.get(id);
  if (known) {
    cache.delete(id); // re-inserted below: most recently used last
    cache.set(id, known);
    return known;
  }
  const key = bls.publicKey(pk);
  if (!BlsPublicKey.isHandle(key)) throw new BadArgumentError('bls.publicKey did not return a BlsPublicKey');
  cache.set(id, key);
  if (cache.size > MAX_CACHED_BLS_KEYS) cache.delete(cache.keys().next().value as string);
  return key;
}

/** bls.verify(pk, msg, sig), on a cached validated key when the implementation runs in this thread. */
export async function verifyBls(bls: BlsSigner, pk: Uint8Array, msg: Uint8Array, sig: Uint8Array): Promise<boolean> {
  if (!usesHandles(bls) || !(pk instanceof Uint8Array)) return bls.verify(pk, msg, sig);
  return bls.fastAggregateVerify([validatedBlsKey(bls, pk)], msg, sig);
}
