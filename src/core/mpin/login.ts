/**
 * Two-pass login (docs/mpin.md#two-pass): the client's two passes around the
 * server's random challenge y, the server's points and its one pairing check;
 * and the DVS key pair whose public half takes Q's place in that check
 * (docs/mpin.md#dvs).
 * @module
 */

import { callOut, callVerify } from '../context.ts';
import { check } from '../errors.ts';
import { argsObject, type Ops, putOpt, scalarOr } from './ops.ts';
import type { MpinClient1Args, MpinClientPass1, MpinServer2Args, MpinServerPass1 } from './types.ts';

/** The checked inputs of a client's pass 1 (two-pass and one-pass). */
export function client1Inputs(o: Ops, where: string, args: MpinClient1Args) {
  const { v } = o;
  argsObject(where, args);
  const date = v.date(where, args.date);
  return {
    id: v.id(where, args.id),
    pin: v.pin(where, args.pin),
    token: v.g1(where, 'token', args.token),
    date,
    permit: date === 0 ? undefined : v.g1(where, 'permit', args.permit),
    x: scalarOr(o, where, 'x', args.x),
  };
}

export function twoPass(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const g1 = sizes.g1;
  return {
    client1(args: MpinClient1Args): MpinClientPass1 {
      const i = client1Inputs(o, 'mpin.client1', args);
      return ctx.arena.run((a) => {
        const sec = a.alloc(g1),
          u = a.alloc(g1),
          ut = i.date === 0 ? 0 : a.alloc(g1);
        check(
          e.dta_mpin_client_1(
            sec,
            u,
            ut,
            a.put(i.id),
            i.id.length,
            i.date,
            a.put(i.x),
            i.pin,
            a.put(i.token),
            putOpt(a, i.permit),
          ),
          'mpin.client1',
        );
        return { x: i.x, sec: a.read(sec, g1), u: a.read(u, g1), ...(ut ? { ut: a.read(ut, g1) } : {}) };
      });
    },
    client2: (x: Uint8Array, y: Uint8Array, sec: Uint8Array) =>
      callOut(ctx, 'mpin.client2', g1, (out, a) =>
        e.dta_mpin_client_2(
          out,
          a.put(v.scalar('mpin.client2', 'x', x)),
          a.put(v.scalar('mpin.client2', 'y', y)),
          a.put(v.g1('mpin.client2', 'sec', sec)),
        ),
      ),
    server1(id: Uint8Array, date?: number): MpinServerPass1 {
      const b = v.id('mpin.server1', id);
      const d = v.date('mpin.server1', date);
      return ctx.arena.run((a) => {
        const hid = a.alloc(g1),
          htid = d === 0 ? 0 : a.alloc(g1);
        check(e.dta_mpin_server_1(hid, htid, a.put(b), b.length, d), 'mpin.server1');
        return { hid: a.read(hid, g1), ...(htid ? { htid: a.read(htid, g1) } : {}) };
      });
    },
    server2(args: MpinServer2Args): boolean {
      const w = 'mpin.server2';
      argsObject(w, args);
      const d = v.date(w, args.date);
      const hid = d === 0 ? v.g1(w, 'hid', args.hid) : undefined;
      const htid = d === 0 ? undefined : v.g1(w, 'htid', args.htid);
      const u = d === 0 ? v.g1(w, 'u', args.u) : undefined;
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const y = v.scalar(w, 'y', args.y),
        ss = v.g2(w, 'serverSecret', args.serverSecret),
        vv = v.g1(w, 'v', args.v);
      const pa = args.pa === undefined ? undefined : v.g2(w, 'pa', args.pa);
      return callVerify(ctx, w, (a) =>
        e.dta_mpin_server_2(
          d,
          putOpt(a, hid),
          putOpt(a, htid),
          a.put(y),
          a.put(ss),
          putOpt(a, u),
          putOpt(a, ut),
          a.put(vv),
          putOpt(a, pa),
        ),
      );
    },
  };
}

export function dvs(o: Ops) {
  const { ctx, e, sizes } = o;
  return {
    dvsKeyPair(z?: Uint8Array) {
      const zz = scalarOr(o, 'mpin.dvsKeyPair', 'z', z);
      const pa = callOut(ctx, 'mpin.dvsKeyPair', sizes.g2, (out, a) => e.dta_mpin_dvs_keypair(out, a.put(zz)));
      return { z: zz, pa };
    },
  };
}
