/**
 * Issuing (docs/mpin.md#issuing): identities and their points, a node's
 * master-secret share and the server-secret, client-secret and time-permit
 * shares it hands out, and the sums that recombine several nodes' shares.
 * @module
 */
import { byteListArg, callOut, integerArg } from '../context.ts';
import type { Err, Ptr } from '../wasm/exports.ts';
import { U32_MAX } from './encoding.ts';
import { type Ops, randomScalar } from './ops.ts';

const DAY_MS = 86_400_000;

export function issuing(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const recombine =
    (where: string, len: number, fn: (out: Ptr, shares: Ptr, n: number) => Err) =>
    (shares: readonly Uint8Array[]): Uint8Array => {
      const list = byteListArg(where, 'shares', shares, len);
      return callOut(ctx, where, len, (out, a) => fn(out, a.putConcat(list), list.length));
    };
  return {
    today: (nowMs: number = Date.now()): number => Math.floor(nowMs / DAY_MS),
    randomScalar: (random?: Uint8Array) => randomScalar(o, 'mpin.randomScalar', random),
    masterSecret: (random?: Uint8Array) => randomScalar(o, 'mpin.masterSecret', random),
    hashId: (id: Uint8Array) =>
      callOut(ctx, 'mpin.hashId', sizes.hash, (out, a) => {
        const b = v.id('mpin.hashId', id);
        return e.dta_mpin_hash_id(out, a.put(b), b.length);
      }),
    mapToG1: (hid: Uint8Array) =>
      callOut(ctx, 'mpin.mapToG1', sizes.g1, (out, a) => e.dta_mpin_map_to_g1(out, a.put(v.hid('mpin.mapToG1', hid)))),
    serverSecret: (s: Uint8Array) =>
      callOut(ctx, 'mpin.serverSecret', sizes.g2, (out, a) =>
        e.dta_mpin_server_secret(out, a.put(v.scalar('mpin.serverSecret', 'masterSecret', s))),
      ),
    clientSecret: (s: Uint8Array, hid: Uint8Array) =>
      callOut(ctx, 'mpin.clientSecret', sizes.g1, (out, a) =>
        e.dta_mpin_client_secret(
          out,
          a.put(v.scalar('mpin.clientSecret', 'masterSecret', s)),
          a.put(v.hid('mpin.clientSecret', hid)),
        ),
      ),
    clientPermit: (date: number, s: Uint8Array, hid: Uint8Array) =>
      callOut(ctx, 'mpin.clientPermit', sizes.g1, (out, a) =>
        e.dta_mpin_client_permit(
          out,
          integerArg('mpin.clientPermit', 'date', date, 1, U32_MAX),
          a.put(v.scalar('mpin.clientPermit', 'masterSecret', s)),
          a.put(v.hid('mpin.clientPermit', hid)),
        ),
      ),
    recombineG1: recombine('mpin.recombineG1', sizes.g1, e.dta_mpin_recombine_g1),
    recombineG2: recombine('mpin.recombineG2', sizes.g2, e.dta_mpin_recombine_g2),
    g1Mul: (k: Uint8Array, p: Uint8Array) =>
      callOut(ctx, 'mpin.g1Mul', sizes.g1, (out, a) =>
        e.dta_mpin_g1_mul(out, a.put(v.scalar('mpin.g1Mul', 'k', k)), a.put(v.g1('mpin.g1Mul', 'p', p))),
      ),
  };
}
