/**
 * What every M-Pin step shares: the context, the raw exports, the sizes and
 * checks, and the small helpers for optional inputs and random scalars.
 * @module
 */

import { bytesArg, type Context, callOut } from '../context.ts';
import { BadArgumentError } from '../errors.ts';
import type { Arena } from '../wasm/arena.ts';
import type { MpinExports, Ptr } from '../wasm/exports.ts';
import type { MpinValidators } from './encoding.ts';
import type { MpinSizes } from './types.ts';

export interface Ops {
  readonly ctx: Context;
  readonly e: MpinExports;
  readonly sizes: MpinSizes;
  readonly v: MpinValidators;
}

/** The functions that take named arguments need an object. */
export function argsObject(where: string, args: unknown): void {
  if (typeof args !== 'object' || args === null) throw new BadArgumentError(`${where}: expected an argument object`);
}

/** Copies an optional input in, or passes NULL. */
export function putOpt(a: Arena, x: Uint8Array | undefined): Ptr {
  return x === undefined ? 0 : a.put(x);
}

/** `x` when it is given, else a fresh random scalar. */
export function scalarOr(o: Ops, where: string, what: string, x: Uint8Array | undefined): Uint8Array {
  return x === undefined ? randomScalar(o, where) : o.v.scalar(where, what, x);
}

/** A scalar in [1, r) from 64 bytes: the caller's, or crypto.getRandomValues' (wiped after use). */
export function randomScalar(o: Ops, where: string, random?: Uint8Array): Uint8Array {
  const r = random === undefined ? randomBytes(o.sizes.random) : bytesArg(where, 'random', random, o.sizes.random);
  try {
    return callOut(o.ctx, where, o.sizes.scalar, (out, a) => o.e.dta_mpin_random_scalar(out, a.put(r)));
  } finally {
    if (random === undefined) r.fill(0);
  }
}

function randomBytes(len: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(len));
}
