/**
 * SHA-256, HMAC-SHA256, HKDF-SHA256 (RFC 5869) and expand_message_xmd
 * (RFC 9380 5.3.1) from the core, so that the browser and Node hash with
 * the same code as the signatures do.
 * @module
 */
import { bytesArg, type Context, callOut, integerArg } from './context.ts';
import type { HashApi } from './types.ts';

/** The SHA-256 digest size (a property of the hash, not of the curve). */
const DIGEST = 32;

export function makeHash(ctx: Context): HashApi {
  const e = ctx.e;
  return Object.freeze({
    sha256(msg: Uint8Array): Uint8Array {
      const m = bytesArg('hash.sha256', 'msg', msg);
      return callOut(ctx, 'hash.sha256', DIGEST, (out, a) => e.dta_sha256(out, a.put(m), m.length));
    },
    hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array {
      const k = bytesArg('hash.hmacSha256', 'key', key);
      const m = bytesArg('hash.hmacSha256', 'msg', msg);
      return callOut(ctx, 'hash.hmacSha256', DIGEST, (out, a) =>
        e.dta_hmac_sha256(out, a.put(k), k.length, a.put(m), m.length),
      );
    },
    hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array {
      const s = bytesArg('hash.hkdfExtract', 'salt', salt);
      const k = bytesArg('hash.hkdfExtract', 'ikm', ikm);
      return callOut(ctx, 'hash.hkdfExtract', DIGEST, (out, a) =>
        e.dta_hkdf_extract(out, a.put(s), s.length, a.put(k), k.length),
      );
    },
    hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
      const p = bytesArg('hash.hkdfExpand', 'prk', prk, DIGEST);
      const i = bytesArg('hash.hkdfExpand', 'info', info);
      // Lengths above the cap go to the core, which answers BadLengthError.
      const n = integerArg('hash.hkdfExpand', 'length', length, 0, 1 << 20);
      return callOut(ctx, 'hash.hkdfExpand', n, (out, a) => e.dta_hkdf_expand(out, n, a.put(p), a.put(i), i.length));
    },
    expandMessageXmd(msg: Uint8Array, dst: Uint8Array, length: number): Uint8Array {
      const m = bytesArg('hash.expandMessageXmd', 'msg', msg);
      const d = bytesArg('hash.expandMessageXmd', 'dst', dst);
      const n = integerArg('hash.expandMessageXmd', 'length', length, 0, 1 << 20);
      return callOut(ctx, 'hash.expandMessageXmd', n, (out, a) =>
        e.dta_expand_message_xmd(out, n, a.put(m), m.length, a.put(d), d.length),
      );
    },
  });
}
