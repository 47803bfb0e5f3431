/**
 * The optimal ate pairing over uncompressed points. GT elements are the
 * `sizes.gt`-byte tower encoding of dta.h (twelve big-endian Fp
 * coefficients, c0.c0.c0 first). Inputs are validated by the core; the
 * point at infinity is allowed and pairs to 1.
 * @module
 */

import { byteListArg, bytesArg, type Context, callOut, callVerify } from './context.ts';
import { BadArgumentError } from './errors.ts';
import type { PairingApi } from './types.ts';

export function makePairing(ctx: Context): PairingApi {
  const { g1Uncompressed, g2Uncompressed, gt } = ctx.sizes;

  const lists = (where: string, ps: unknown, qs: unknown): [Uint8Array[], Uint8Array[]] => {
    const p = byteListArg(where, 'ps', ps, g1Uncompressed);
    const q = byteListArg(where, 'qs', qs, g2Uncompressed);
    if (p.length !== q.length) throw new BadArgumentError(`${where}: ${p.length} G1 points but ${q.length} G2 points`);
    return [p, q];
  };

  return Object.freeze({
    pair(p: Uint8Array, q: Uint8Array): Uint8Array {
      const pp = bytesArg('pairing.pair', 'p', p, g1Uncompressed);
      const qq = bytesArg('pairing.pair', 'q', q, g2Uncompressed);
      return callOut(ctx, 'pairing.pair', gt, (out, a) => ctx.e.dta_pairing(out, a.put(pp), a.put(qq)));
    },
    multiPair(ps: readonly Uint8Array[], qs: readonly Uint8Array[]): Uint8Array {
      const [p, q] = lists('pairing.multiPair', ps, qs);
      return callOut(ctx, 'pairing.multiPair', gt, (out, a) =>
        ctx.e.dta_multi_pairing(out, a.putConcat(p), a.putConcat(q), p.length),
      );
    },
    check(ps: readonly Uint8Array[], qs: readonly Uint8Array[]): boolean {
      const [p, q] = lists('pairing.check', ps, qs);
      return callVerify(ctx, 'pairing.check', (a) => ctx.e.dta_pairing_check(a.putConcat(p), a.putConcat(q), p.length));
    },
  });
}
