/**
 * Batch verification and validated public keys for min-pk BLS (see
 * dta_bls_verify_batch and dta_bls_public_key in wasm/include/dta.h).
 *
 * verifyBatch checks n (public key, message, signature) triples with one
 * randomized multi-pairing (64-bit multipliers from crypto.getRandomValues)
 * and, when the batch fails, names the failing ones (the core bisects).
 *
 * publicKey() decodes and KeyValidates a key once and returns a
 * BlsPublicKey handle holding the core's internal affine form. The class
 * cannot be constructed outside this module (a private token guards the
 * constructor, a private field holds the form), so the core's unchecked
 * entry point only ever sees keys it validated itself. Handles are for
 * in-process use: they do not survive a worker boundary (structured clone
 * drops private fields).
 * @module
 */
import { randomBytes } from './bytes.ts';
import { bytesArg, type Context, callVerify } from './context.ts';
import { BadArgumentError, check, ErrorCode } from './errors.ts';

/** Guards the constructor: only this module holds it. */
const TOKEN: unique symbol = Symbol('BlsPublicKey');

/** A min-pk public key decoded and validated once (KeyValidate); reuse it across verifications. */
export class BlsPublicKey {
  readonly #affine: Uint8Array;
  readonly #compressed: Uint8Array;

  /** @internal Use core.bls.publicKey(bytes). */
  constructor(token: typeof TOKEN, affine: Uint8Array, compressed: Uint8Array) {
    if (token !== TOKEN) throw new BadArgumentError('BlsPublicKey: use core.bls.publicKey(bytes)');
    this.#affine = affine;
    this.#compressed = compressed;
  }

  /** The compressed encoding (a copy). */
  get bytes(): Uint8Array {
    return this.#compressed.slice();
  }

  /** The internal form, for this module only. */
  static affineOf(key: BlsPublicKey): Uint8Array {
    return key.#affine;
  }

  static isHandle(value: unknown): value is BlsPublicKey {
    return typeof value === 'object' && value !== null && #affine in value;
  }
}

/** One triple of a batch. */
export interface BlsBatchItem {
  /** Compressed bytes, or a handle from publicKey() (all items of a batch the same kind). */
  readonly publicKey: Uint8Array | BlsPublicKey;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** ok: every triple verifies; failed: the indices of those that do not, ascending. */
export interface BlsBatchResult {
  readonly ok: boolean;
  readonly failed: number[];
}

const RANDOM_BYTES_PER_ITEM = 8;

export function makeBlsBatch(ctx: Context, dst: Uint8Array) {
  const e = ctx.e;
  const { g1Compressed: pkLen, g2Compressed: sigLen } = ctx.sizes;
  const keyLen = e.dta_bls_public_key_bytes();
  const tag = (where: string, d: unknown) => (d === undefined ? dst : bytesArg(where, 'dst', d));

  /** The items' fields checked; keys as compressed bytes or, when every key is a handle, as validated blocks. */
  function parseItems(where: string, items: unknown) {
    if (!Array.isArray(items)) throw new BadArgumentError(`${where}: items must be an array`);
    if (items.length === 0) throw new BadArgumentError(`${where}: items is empty`);
    const fields = (items as unknown[]).map((item, i) => {
      if (typeof item !== 'object' || item === null) {
        throw new BadArgumentError(`${where}: items[${i}] must be an object`);
      }
      return item as Record<string, unknown>;
    });
    const validated = fields.every((f) => BlsPublicKey.isHandle(f['publicKey']));
    const list = fields.map((f, i) => ({
      pk: validated
        ? BlsPublicKey.affineOf(f['publicKey'] as BlsPublicKey)
        : bytesArg(where, `items[${i}].publicKey`, f['publicKey'], pkLen),
      msg: bytesArg(where, `items[${i}].message`, f['message']),
      sig: bytesArg(where, `items[${i}].signature`, f['signature'], sigLen),
    }));
    return { validated, list };
  }

  return {
    publicKey(pk: Uint8Array): BlsPublicKey {
      const p = bytesArg('bls.publicKey', 'public key', pk, pkLen);
      const affine = ctx.arena.run((a) => {
        const out = a.alloc(keyLen);
        check(e.dta_bls_public_key(out, a.put(p), p.length), 'bls.publicKey');
        return a.read(out, keyLen);
      });
      return new BlsPublicKey(TOKEN, affine, p.slice());
    },

    verifyBatch(items: readonly BlsBatchItem[], d?: Uint8Array): BlsBatchResult {
      const where = 'bls.verifyBatch';
      const { validated, list } = parseItems(where, items);
      const run = validated ? e.dta_bls_verify_batch_validated : e.dta_bls_verify_batch;
      const dd = tag(where, d);
      const n = list.length;
      const scratchLen = e.dta_bls_batch_scratch_bytes(n);
      if (scratchLen === 0) throw new BadArgumentError(`${where}: ${n} items is more than one batch takes`);
      const randomness = randomBytes(RANDOM_BYTES_PER_ITEM * n);
      return ctx.arena.run((a) => {
        const valid = a.alloc(n);
        const code = run(
          valid,
          a.putConcat(list.map((x) => x.pk)),
          a.putConcat(list.map((x) => x.msg)),
          a.putU32(list.map((x) => x.msg.length)),
          a.putConcat(list.map((x) => x.sig)),
          n,
          a.put(randomness),
          a.put(dd),
          dd.length,
          a.alloc(scratchLen),
          scratchLen,
        );
        if (code === ErrorCode.OK) return { ok: true, failed: [] };
        if (code !== ErrorCode.VERIFY_FAIL) check(code, where);
        const flags = a.read(valid, n);
        const failed: number[] = [];
        for (const [i, f] of flags.entries()) if (f === 0) failed.push(i);
        return { ok: false, failed };
      });
    },

    /** FastAggregateVerify over handles from publicKey(): no decoding, no subgroup checks. */
    fastAggregateVerifyKeys(keys: readonly BlsPublicKey[], msg: Uint8Array, sig: Uint8Array, d?: Uint8Array): boolean {
      const where = 'bls.fastAggregateVerify';
      const forms = keys.map((k, i) => {
        if (!BlsPublicKey.isHandle(k)) throw new BadArgumentError(`${where}: public keys[${i}] is not a BlsPublicKey`);
        return BlsPublicKey.affineOf(k);
      });
      const [m, s, dd] = [bytesArg(where, 'msg', msg), bytesArg(where, 'signature', sig, sigLen), tag(where, d)];
      return callVerify(ctx, where, (a) =>
        e.dta_bls_fast_aggregate_verify_validated(
          a.putConcat(forms),
          forms.length,
          a.put(m),
          m.length,
          a.put(s),
          a.put(dd),
          dd.length,
        ),
      );
    },
  };
}

/** True when `pks` is a non-empty list of handles only (the fast path of fastAggregateVerify). */
export function allHandles(pks: unknown): pks is readonly BlsPublicKey[] {
  return Array.isArray(pks) && pks.length > 0 && pks.every((p) => BlsPublicKey.isHandle(p));
}
