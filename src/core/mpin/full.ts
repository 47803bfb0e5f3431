/**
 * M-Pin Full (docs/mpin.md#full): after a login the client and the server
 * derive the same 16-byte AES key; the client's pairings are computed once
 * per token.
 * @module
 */
import { callOut } from '../context.ts';
import { check } from '../errors.ts';
import { argsObject, type Ops, putOpt } from './ops.ts';
import type { MpinClientKeyArgs, MpinHashAllArgs, MpinPrecomputed, MpinServerKeyArgs } from './types.ts';

export function full(o: Ops) {
  const { ctx, e, sizes, v } = o;
  return {
    pairing: (p: Uint8Array, q: Uint8Array) =>
      callOut(ctx, 'mpin.pairing', sizes.gt, (out, a) =>
        e.dta_mpin_pairing(out, a.put(v.g1('mpin.pairing', 'p', p)), a.put(v.g2('mpin.pairing', 'q', q))),
      ),
    precompute(token: Uint8Array, hid: Uint8Array, pa?: Uint8Array): MpinPrecomputed {
      const w = 'mpin.precompute';
      const tk = v.g1(w, 'token', token),
        h = v.hid(w, hid);
      const cp = pa === undefined ? undefined : v.g2(w, 'pa', pa);
      return ctx.arena.run((a) => {
        const g1pre = a.alloc(sizes.gt),
          g2pre = a.alloc(sizes.gt);
        check(e.dta_mpin_precompute(g1pre, g2pre, a.put(tk), a.put(h), putOpt(a, cp)), w);
        return { g1pre: a.read(g1pre, sizes.gt), g2pre: a.read(g2pre, sizes.gt) };
      });
    },
    hashAll(args: MpinHashAllArgs): Uint8Array {
      const w = 'mpin.hashAll';
      argsObject(w, args);
      const hid = v.hid(w, args.hid);
      const ut = args.ut === undefined ? undefined : v.g1(w, 'ut', args.ut);
      const u = ut === undefined ? v.g1(w, 'u', args.u) : undefined;
      const vv = v.g1(w, 'v', args.v),
        y = v.scalar(w, 'y', args.y),
        z = v.g1(w, 'z', args.z),
        t = v.g1(w, 't', args.t);
      return callOut(ctx, w, sizes.hash, (out, a) =>
        e.dta_mpin_hash_all(out, a.put(hid), putOpt(a, u), putOpt(a, ut), a.put(vv), a.put(y), a.put(z), a.put(t)),
      );
    },
    clientKey(args: MpinClientKeyArgs): Uint8Array {
      const w = 'mpin.clientKey';
      argsObject(w, args);
      const g1pre = v.gt(w, 'g1pre', args.g1pre),
        g2pre = v.gt(w, 'g2pre', args.g2pre),
        pin = v.pin(w, args.pin);
      const r = v.scalar(w, 'r', args.r),
        x = v.scalar(w, 'x', args.x),
        h = v.scalar(w, 'h', args.h);
      const t = v.g1(w, 't', args.t);
      return callOut(ctx, w, sizes.key, (out, a) =>
        e.dta_mpin_client_key(out, a.put(g1pre), a.put(g2pre), pin, a.put(r), a.put(x), a.put(h), a.put(t)),
      );
    },
    serverKey(args: MpinServerKeyArgs): Uint8Array {
      const w = 'mpin.serverKey';
      argsObject(w, args);
      const z = v.g1(w, 'z', args.z),
        ss = v.g2(w, 'serverSecret', args.serverSecret);
      const ws = v.scalar(w, 'w', args.w),
        h = v.scalar(w, 'h', args.h),
        hid = v.g1(w, 'hid', args.hid);
      const ut = args.ut === undefined ? undefined : v.g1(w, 'ut', args.ut);
      const u = ut === undefined ? v.g1(w, 'u', args.u) : undefined;
      return callOut(ctx, w, sizes.key, (out, a) =>
        e.dta_mpin_server_key(out, a.put(z), a.put(ss), a.put(ws), a.put(h), a.put(hid), putOpt(a, u), putOpt(a, ut)),
      );
    },
  };
}
