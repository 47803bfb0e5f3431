/**
 * PIN-error estimation after a failed login (docs/mpin.md#pin-error): E and F
 * from the login's values, then how far the entered PIN was from the
 * registered one, or undefined when the failure was not a wrong PIN.
 * @module
 */
import { check, ErrorCode } from '../errors.ts';
import { argsObject, type Ops, putOpt } from './ops.ts';
import type { MpinPinErrorArgs, MpinPinErrorValues } from './types.ts';

export function pinErrors(o: Ops) {
  const { ctx, e, sizes, v } = o;
  return {
    pinErrorValues(args: MpinPinErrorArgs): MpinPinErrorValues {
      const w = 'mpin.pinErrorValues';
      argsObject(w, args);
      const d = v.date(w, args.date);
      const hid = v.g1(w, 'hid', args.hid),
        u = v.g1(w, 'u', args.u);
      const htid = d === 0 ? undefined : v.g1(w, 'htid', args.htid);
      const ut = d === 0 ? undefined : v.g1(w, 'ut', args.ut);
      const y = v.scalar(w, 'y', args.y),
        ss = v.g2(w, 'serverSecret', args.serverSecret),
        vv = v.g1(w, 'v', args.v);
      return ctx.arena.run((a) => {
        const eo = a.alloc(sizes.gt),
          fo = a.alloc(sizes.gt);
        check(
          e.dta_mpin_pin_error_values(
            eo,
            fo,
            d,
            a.put(hid),
            putOpt(a, htid),
            a.put(y),
            a.put(ss),
            a.put(u),
            putOpt(a, ut),
            a.put(vv),
          ),
          w,
        );
        return { e: a.read(eo, sizes.gt), f: a.read(fo, sizes.gt) };
      });
    },
    pinError(values: MpinPinErrorValues): number | undefined {
      const w = 'mpin.pinError';
      argsObject(w, values);
      const ev = v.gt(w, 'e', values.e),
        fv = v.gt(w, 'f', values.f);
      return ctx.arena.run((a) => {
        const out = a.alloc(4);
        const code = e.dta_mpin_pin_error(out, a.put(ev), a.put(fv));
        if (code === ErrorCode.VERIFY_FAIL) return undefined;
        check(code, w);
        return new DataView(a.read(out, 4).buffer).getInt32(0, true);
      });
    },
  };
}
