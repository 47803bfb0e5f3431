/**
 * What every namespace of the bindings needs: the raw exports, the arena
 * and the sizes; plus the input checks shared by all of them. Checks run
 * before anything is copied into wasm memory and throw the named errors
 * (BadArgumentError for a wrong type, BadLengthError for a wrong length).
 * @module
 */
import { BadArgumentError, BadLengthError, check, ErrorCode } from './errors.ts';
import type { Sizes } from './sizes.ts';
import type { Arena } from './wasm/arena.ts';
import type { CoreExports } from './wasm/exports.ts';

export interface Context {
  readonly e: CoreExports;
  readonly arena: Arena;
  readonly sizes: Sizes;
}

/** `value` must be a Uint8Array, of length `len` when given. */
export function bytesArg(where: string, what: string, value: unknown, len?: number): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new BadArgumentError(`${where}: ${what} must be a Uint8Array, got ${typeName(value)}`);
  }
  if (len !== undefined && value.length !== len) {
    throw new BadLengthError(`${where}: ${what} must be ${len} bytes, got ${value.length}`);
  }
  return value;
}

/** `value` must be a Uint8Array whose length is one of `lens`. */
export function bytesArgOneOf(where: string, what: string, value: unknown, lens: readonly number[]): Uint8Array {
  const b = bytesArg(where, what, value);
  if (!lens.includes(b.length)) {
    throw new BadLengthError(`${where}: ${what} must be ${lens.join(' or ')} bytes, got ${b.length}`);
  }
  return b;
}

/** A non-empty array of Uint8Array, each of length `len` when given. */
export function byteListArg(
  where: string,
  what: string,
  value: unknown,
  len?: number,
  allowEmpty = false,
): Uint8Array[] {
  if (!Array.isArray(value)) {
    throw new BadArgumentError(`${where}: ${what} must be an array, got ${typeName(value)}`);
  }
  if (value.length === 0 && !allowEmpty) throw new BadArgumentError(`${where}: ${what} is empty`);
  return value.map((item, i) => bytesArg(where, `${what}[${i}]`, item, len));
}

/** A safe integer in [min, max]. */
export function integerArg(where: string, what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new BadArgumentError(`${where}: ${what} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * The usual call: inside one arena run, allocate an output of `outLen`
 * bytes, let `call` fill it (returning the C error code), check the code
 * and return a copy of the output.
 */
export function callOut(
  ctx: Context,
  where: string,
  outLen: number,
  call: (out: number, arena: Arena) => number,
): Uint8Array {
  return ctx.arena.run((a) => {
    const out = a.alloc(outLen);
    check(call(out, a), where);
    return a.read(out, outLen);
  });
}

/** A verify-style call: true for DTA_OK, false for DTA_VERIFY_FAIL, throws for every other code. */
export function callVerify(ctx: Context, where: string, call: (arena: Arena) => number): boolean {
  return ctx.arena.run((a) => {
    const code = call(a);
    if (code === ErrorCode.VERIFY_FAIL) return false;
    check(code, where);
    return true;
  });
}
