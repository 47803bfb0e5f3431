/**
 * Feldman verifiable secret sharing over Fr with commitments in G1
 * (P. Feldman, "A practical scheme for non-interactive verifiable secret sharing", FOCS 1987,
 * https://doi.org/10.1109/SFCS.1987.4): the Shamir shares of `shamir.split` plus commitments
 * C_j = a_j·G1 to the polynomial's coefficients, so that a holder checks its share without
 * learning anything else, and anyone computes the public share X_i = Σ_j C_j·i^j.
 *
 * Coefficients come from crypto.getRandomValues, 64 bytes each, reduced mod r by the core (as in
 * shamir.ts); the random buffer is wiped after use. Shares and coefficients only meet constant-time
 * C; commitments and indices are public.
 * @module
 */

import { byteListArg, bytesArg, type Context, callOut, callVerify, integerArg } from './context.ts';
import { BadArgumentError, BadScalarError, check, ErrorCode } from './errors.ts';
import type { Share, VssApi, VssDealing } from './types.ts';

/** Bytes of randomness per coefficient or random scalar (the C contract). */
const RANDOM_PER_SCALAR = 64;
const MAX_SHARES = 255;
/** A uniform draw mod r is zero with probability about 2^-255: a handful of tries is plenty. */
const RANDOM_TRIES = 8;

/** At most 254 · 64 bytes: under crypto.getRandomValues' 65536-byte limit. */
function randomBytes(len: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(len));
}

function commitmentList(ctx: Context, where: string, commitments: unknown): Uint8Array[] {
  const list = byteListArg(where, 'commitments', commitments, ctx.sizes.g1Compressed);
  if (list.length > MAX_SHARES) {
    throw new BadArgumentError(`${where}: at most ${MAX_SHARES} commitments, got ${list.length}`);
  }
  return list;
}

function shareArg(ctx: Context, where: string, share: unknown): Share {
  if (typeof share !== 'object' || share === null) throw new BadArgumentError(`${where}: share is not a share`);
  const s = share as Partial<Share>;
  return {
    index: integerArg(where, 'share.index', s.index, 1, MAX_SHARES),
    value: bytesArg(where, 'share.value', s.value, ctx.sizes.scalar),
  };
}

function deal(ctx: Context, secret: Uint8Array, t: number, n: number): VssDealing {
  const { scalar, g1Compressed } = ctx.sizes;
  const s = bytesArg('vss.deal', 'secret', secret, scalar);
  const nn = integerArg('vss.deal', 'n', n, 1, MAX_SHARES);
  const tt = integerArg('vss.deal', 't', t, 1, nn);
  const random = randomBytes((tt - 1) * RANDOM_PER_SCALAR);
  try {
    return ctx.arena.run((a) => {
      const shares = a.alloc(nn * scalar);
      const commitments = a.alloc(tt * g1Compressed);
      check(ctx.e.dta_vss_deal(shares, commitments, a.put(s), tt, nn, a.put(random)), 'vss.deal');
      const all = a.read(shares, nn * scalar);
      const c = a.read(commitments, tt * g1Compressed);
      const dealing = {
        shares: Array.from({ length: nn }, (_, i) => ({
          index: i + 1,
          value: all.slice(i * scalar, (i + 1) * scalar),
        })),
        commitments: Array.from({ length: tt }, (_, j) => c.slice(j * g1Compressed, (j + 1) * g1Compressed)),
      };
      all.fill(0);
      return dealing;
    });
  } finally {
    random.fill(0);
  }
}

function random(ctx: Context): Uint8Array {
  for (let i = 0; i < RANDOM_TRIES; i++) {
    const bytes = randomBytes(RANDOM_PER_SCALAR);
    try {
      // The scalar, or the error code (BAD_SCALAR: the 64 bytes were 0 mod r; draw again).
      const scalarOrCode = ctx.arena.run((a) => {
        const out = a.alloc(ctx.sizes.scalar);
        const code = ctx.e.dta_vss_random(out, a.put(bytes));
        return code === ErrorCode.OK ? a.read(out, ctx.sizes.scalar) : code;
      });
      if (typeof scalarOrCode !== 'number') return scalarOrCode;
      if (scalarOrCode !== ErrorCode.BAD_SCALAR) check(scalarOrCode, 'vss.random');
    } finally {
      bytes.fill(0);
    }
  }
  throw new BadScalarError('vss.random: crypto.getRandomValues gave zero scalars only');
}

export function makeVss(ctx: Context): VssApi {
  const e = ctx.e;
  const scalarLen = ctx.sizes.scalar;
  return Object.freeze({
    deal: (secret: Uint8Array, t: number, n: number) => deal(ctx, secret, t, n),
    verify(share: Share, commitments: readonly Uint8Array[]): boolean {
      const s = shareArg(ctx, 'vss.verify', share);
      const c = commitmentList(ctx, 'vss.verify', commitments);
      return callVerify(ctx, 'vss.verify', (a) => e.dta_vss_verify(s.index, a.put(s.value), a.putConcat(c), c.length));
    },
    publicShare(index: number, commitments: readonly Uint8Array[]): Uint8Array {
      const i = integerArg('vss.publicShare', 'index', index, 1, MAX_SHARES);
      const c = commitmentList(ctx, 'vss.publicShare', commitments);
      return callOut(ctx, 'vss.publicShare', ctx.sizes.g1Compressed, (out, a) =>
        e.dta_vss_public_share(out, i, a.putConcat(c), c.length),
      );
    },
    sum(scalars: readonly Uint8Array[]): Uint8Array {
      const list = byteListArg('vss.sum', 'scalars', scalars, scalarLen, true);
      return callOut(ctx, 'vss.sum', scalarLen, (out, a) => e.dta_vss_sum(out, a.putConcat(list), list.length));
    },
    random: () => random(ctx),
  });
}
