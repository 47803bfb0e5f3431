/**
 * The PIN and other factors (docs/mpin.md#token): the token a client keeps
 * is its client secret less pin H(ID); adding it back needs the PIN.
 * @module
 */
import { callOut, integerArg } from '../context.ts';
import type { Err, Ptr } from '../wasm/exports.ts';
import type { Ops } from './ops.ts';

type PinFn = (out: Ptr, id: Ptr, idLen: number, pin: number, cs: Ptr) => Err;
type FactorFn = (out: Ptr, id: Ptr, idLen: number, f: number, bits: number, cs: Ptr) => Err;

export function factors(o: Ops) {
  const { ctx, e, sizes, v } = o;
  const pin = (where: string, fn: PinFn) => (id: Uint8Array, p: number, point: Uint8Array) => {
    const b = v.id(where, id);
    const n = v.pin(where, p);
    const pt = v.g1(where, 'point', point);
    return callOut(ctx, where, sizes.g1, (out, a) => fn(out, a.put(b), b.length, n, a.put(pt)));
  };
  const factor = (where: string, fn: FactorFn) => (id: Uint8Array, f: number, bits: number, point: Uint8Array) => {
    const b = v.id(where, id);
    const nb = integerArg(where, 'bits', bits, 1, 32);
    const nf = integerArg(where, 'factor', f, 0, 2 ** nb - 1);
    const pt = v.g1(where, 'point', point);
    return callOut(ctx, where, sizes.g1, (out, a) => fn(out, a.put(b), b.length, nf, nb, a.put(pt)));
  };
  return {
    extractPin: pin('mpin.extractPin', e.dta_mpin_extract_pin),
    restorePin: pin('mpin.restorePin', e.dta_mpin_restore_pin),
    extractFactor: factor('mpin.extractFactor', e.dta_mpin_extract_factor),
    restoreFactor: factor('mpin.restoreFactor', e.dta_mpin_restore_factor),
  };
}
