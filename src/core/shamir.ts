/**
 * Shamir secret sharing over Fr, and recovery "in the exponent" of G1 and G2
 * points (public-key shares, signature shares). Share i (1-based) of n is
 * f(i) for f(x) = secret + c1 x + ... + c_{t-1} x^{t-1}.
 * https://dl.acm.org/doi/10.1145/359168.359176
 *
 * The coefficients come from crypto.getRandomValues: 64 bytes per
 * coefficient, reduced mod r by the core (a 512-bit value mod a 255-bit r
 * has a negligible bias). The random buffer is wiped after use.
 * @module
 */

import { bytesArg, type Context, callOut, integerArg } from './context.ts';
import { BadArgumentError, check } from './errors.ts';
import type { ShamirApi, Share } from './types.ts';
import type { Err, Ptr } from './wasm/exports.ts';

/** Bytes of randomness per coefficient (the C contract). */
const RANDOM_PER_COEFFICIENT = 64;
/** crypto.getRandomValues fills at most 65536 bytes per call. */
const RANDOM_CHUNK = 65536;
const MAX_SHARES = 255;

function randomBytes(len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let at = 0; at < len; at += RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(len, at + RANDOM_CHUNK)));
  }
  return out;
}

function shareList(where: string, shares: unknown, valueLen: number): { indices: number[]; values: Uint8Array[] } {
  if (!Array.isArray(shares)) throw new BadArgumentError(`${where}: shares must be an array`);
  if (shares.length === 0) throw new BadArgumentError(`${where}: no shares`);
  const indices: number[] = [];
  const values: Uint8Array[] = [];
  shares.forEach((s: unknown, i) => {
    if (typeof s !== 'object' || s === null) throw new BadArgumentError(`${where}: shares[${i}] is not a share`);
    const share = s as Partial<Share>;
    indices.push(integerArg(where, `shares[${i}].index`, share.index, 1, MAX_SHARES));
    values.push(bytesArg(where, `shares[${i}].value`, share.value, valueLen));
  });
  return { indices, values };
}

type Recover = (out: Ptr, indices: Ptr, values: Ptr, k: number) => Err;

function recoverWith(ctx: Context, where: string, len: number, fn: Recover) {
  return (shares: readonly Share[]): Uint8Array => {
    const { indices, values } = shareList(where, shares, len);
    return callOut(ctx, where, len, (out, a) => fn(out, a.putU32(indices), a.putConcat(values), values.length));
  };
}

export function makeShamir(ctx: Context): ShamirApi {
  const e = ctx.e;
  const scalarLen = ctx.sizes.scalar;
  return Object.freeze({
    split(secret: Uint8Array, t: number, n: number): Share[] {
      const s = bytesArg('shamir.split', 'secret', secret, scalarLen);
      const nn = integerArg('shamir.split', 'n', n, 1, MAX_SHARES);
      const tt = integerArg('shamir.split', 't', t, 1, nn);
      const random = randomBytes((tt - 1) * RANDOM_PER_COEFFICIENT);
      try {
        const all = ctx.arena.run((a) => {
          const out = a.alloc(nn * scalarLen);
          check(e.dta_shamir_split(out, a.put(s), tt, nn, a.put(random)), 'shamir.split');
          return a.read(out, nn * scalarLen);
        });
        const shares = Array.from({ length: nn }, (_, i) => ({
          index: i + 1,
          value: all.slice(i * scalarLen, (i + 1) * scalarLen),
        }));
        all.fill(0);
        return shares;
      } finally {
        random.fill(0);
      }
    },
    recover: recoverWith(ctx, 'shamir.recover', scalarLen, e.dta_shamir_recover),
    recoverG1: recoverWith(ctx, 'shamir.recoverG1', ctx.sizes.g1Compressed, e.dta_shamir_recover_g1),
    recoverG2: recoverWith(ctx, 'shamir.recoverG2', ctx.sizes.g2Compressed, e.dta_shamir_recover_g2),
  });
}
