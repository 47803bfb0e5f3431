/**
 * One-pass login (docs/mpin.md#one-pass): the challenge y is a hash of the
 * time, U (or UT) and an optional message, so the client sends a single
 * message and the server checks it as in the two-pass protocol.
 * @module
 */

import { callOut, callVerify } from '../context.ts';
import { check } from '../errors.ts';
import { client1Inputs } from './login.ts';
import { argsObject, type Ops, putOpt } from './ops.ts';
import type { MpinClientArgs, MpinClientResult, MpinServerArgs } from './types.ts';

export function onePass(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const g1 = sizes.g1;
  return {
    challenge(time: number, u: Uint8Array, message?: Uint8Array): Uint8Array {
      const w = 'mpin.challenge';
      const t = v.time(w, time),
        ub = v.g1(w, 'u', u),
        m = v.message(w, message);
      return callOut(ctx, w, sizes.scalar, (out, a) => e.dta_mpin_challenge(out, t, a.put(ub), a.put(m), m.length));
    },
    client(args: MpinClientArgs): MpinClientResult {
      const w = 'mpin.client';
      const i = client1Inputs(o, w, args);
      const t = v.time(w, args.time),
        m = v.message(w, args.message);
      return ctx.arena.run((a) => {
        const vv = a.alloc(g1),
          u = a.alloc(g1),
          ut = i.date === 0 ? 0 : a.alloc(g1),
          y = a.alloc(sizes.scalar);
        check(
          e.dta_mpin_client(
            vv,
            u,
            ut,
            y,
            a.put(i.id),
            i.id.length,
            i.date,
            a.put(i.x),
            i.pin,
            a.put(i.token),
            putOpt(a, i.permit),
            t,
            a.put(m),
            m.length,
          ),
          w,
        );
        return {
          x: i.x,
          u: a.read(u, g1),
          ...(ut ? { ut: a.read(ut, g1) } : {}),
          v: a.read(vv, g1),
          y: a.read(y, sizes.scalar),
        };
      });
    },
    server(args: MpinServerArgs): boolean {
      const w = 'mpin.server';
      argsObject(w, args);
      const id = v.id(w, args.id),
        d = v.date(w, args.date),
        t = v.time(w, args.time),
        m = v.message(w, args.message);
      const u = d === 0 ? v.g1(w, 'u', args.u) : undefined;
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const ss = v.g2(w, 'serverSecret', args.serverSecret),
        vv = v.g1(w, 'v', args.v);
      const pa = args.pa === undefined ? undefined : v.g2(w, 'pa', args.pa);
      return callVerify(ctx, w, (a) =>
        e.dta_mpin_server(
          a.put(id),
          id.length,
          d,
          t,
          a.put(ss),
          putOpt(a, u),
          putOpt(a, ut),
          a.put(vv),
          a.put(m),
          m.length,
          putOpt(a, pa),
        ),
      );
    },
  };
}
