/**
 * Milagro's encodings as the bindings see them (docs/mpin.md#encodings):
 * their sizes, read from the module, and the input checks that hold every
 * argument to them before it reaches the core, each naming the API function.
 * @module
 */
import { bytesArg, integerArg } from '../context.ts';
import type { MpinExports } from '../wasm/exports.ts';
import type { MpinSizes } from './types.ts';

/** The largest date (days) or time (seconds) the core takes: a uint32. */
export const U32_MAX = 0xffffffff;

export function readMpinSizes(e: MpinExports): MpinSizes {
  return Object.freeze({
    scalar: e.dta_mpin_scalar_bytes(),
    g1: e.dta_mpin_g1_bytes(),
    g2: e.dta_mpin_g2_bytes(),
    gt: e.dta_mpin_gt_bytes(),
    hash: e.dta_mpin_hash_bytes(),
    key: e.dta_mpin_key_bytes(),
    random: e.dta_mpin_random_bytes(),
    maxPin: e.dta_mpin_max_pin(),
  });
}

/** Input checks in Milagro's sizes; `w` is the API function named in an error. */
export function validators(s: MpinSizes) {
  return {
    id: (w: string, x: unknown) => bytesArg(w, 'id', x),
    hid: (w: string, x: unknown) => bytesArg(w, 'hid', x, s.hash),
    scalar: (w: string, what: string, x: unknown) => bytesArg(w, what, x, s.scalar),
    g1: (w: string, what: string, x: unknown) => bytesArg(w, what, x, s.g1),
    g2: (w: string, what: string, x: unknown) => bytesArg(w, what, x, s.g2),
    gt: (w: string, what: string, x: unknown) => bytesArg(w, what, x, s.gt),
    pin: (w: string, x: unknown) => integerArg(w, 'pin', x, 0, s.maxPin - 1),
    date: (w: string, x: unknown) => (x === undefined ? 0 : integerArg(w, 'date', x, 0, U32_MAX)),
    time: (w: string, x: unknown) => integerArg(w, 'time', x, 0, U32_MAX),
    message: (w: string, x: unknown) => (x === undefined ? new Uint8Array(0) : bytesArg(w, 'message', x)),
  };
}

export type MpinValidators = ReturnType<typeof validators>;
