/**
 * A small schema checker for decoded DAG-CBOR: each Check takes a value and
 * the path to it and returns the typed value or throws SchemaError naming
 * the path. Structs refuse unknown and missing fields; byte strings, texts,
 * integers and lists carry their bounds.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { CID as CIDClass } from 'multiformats/cid';
import { isProtocolCid } from './protocol/cbor.ts';
import { SchemaError } from './protocol/errors.ts';

export type Check<T> = (value: unknown, path: string) => T;
type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never };

const utf8 = new TextEncoder();

function fail(path: string, message: string): never {
  throw new SchemaError(`${path}: ${message}`);
}

/** A byte string of exactly `size` bytes, or of min..max bytes. */
export function bytes(size: number | { min?: number; max: number }): Check<Uint8Array> {
  const [min, max] = typeof size === 'number' ? [size, size] : [size.min ?? 0, size.max];
  return (v, path) => {
    if (!(v instanceof Uint8Array)) fail(path, 'expected bytes');
    if (v.length < min || v.length > max) {
      fail(path, min === max ? `expected ${min} bytes, got ${v.length}` : `expected ${min}..${max} bytes, got ${v.length}`);
    }
    return v;
  };
}

/** A string of minBytes..maxBytes UTF-8 bytes, matching `pattern` when given, accepted by `test` when given. */
export function text(o: { minBytes?: number; maxBytes: number; pattern?: RegExp; test?: (s: string) => boolean; what?: string }):
  Check<string> {
  return (v, path) => {
    if (typeof v !== 'string') fail(path, 'expected a string');
    const n = utf8.encode(v).length;
    if (n < (o.minBytes ?? 0) || n > o.maxBytes) fail(path, `expected ${o.minBytes ?? 0}..${o.maxBytes} UTF-8 bytes, got ${n}`);
    if ((o.pattern && !o.pattern.test(v)) || (o.test && !o.test(v))) fail(path, `not ${o.what ?? 'a valid value'}`);
    return v;
  };
}

/** An integer in min..max (safe integers only). */
export function integer(min: number, max: number): Check<number> {
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, 'expected an integer');
    if (v < min || v > max) fail(path, `expected ${min}..${max}, got ${v}`);
    return v;
  };
}

/** Exactly `expected`. */
export function literal<T extends string | number>(expected: T): Check<T> {
  return (v, path) => (v === expected ? expected : fail(path, `expected ${JSON.stringify(expected)}`));
}

/** A CIDv1 / dag-cbor / sha2-256 link. */
export const cid: Check<CID> = (v, path) => {
  if (!isProtocolCid(v)) fail(path, 'expected a CIDv1 dag-cbor sha2-256 link');
  return CIDClass.asCID(v)!;
};

/** `inner`, or null. */
export function nullable<T>(inner: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : inner(v, path));
}

/** Any value (already known to be DAG-CBOR because it was decoded or will be encoded). */
export const anyValue: Check<unknown> = (v) => v;

/** A list of min..max items, each checked by `item`; `unique` compares items by a key. */
export function list<T>(item: Check<T>, o: { min?: number; max: number; unique?: (t: T) => string }): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, 'expected a list');
    if (v.length < (o.min ?? 0) || v.length > o.max) fail(path, `expected ${o.min ?? 0}..${o.max} items, got ${v.length}`);
    const out = v.map((x, i) => item(x, `${path}[${i}]`));
    if (o.unique) {
      const keys = out.map(o.unique);
      if (new Set(keys).size !== keys.length) fail(path, 'duplicate items');
    }
    return out;
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Uint8Array) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A map with exactly the `required` fields and any of the `optional` ones; nothing else. */
export function struct<R extends Shape, O extends Shape = Record<never, never>>(required: R, optional?: O):
  Check<Out<R> & Partial<Out<O>>> {
  const opt: Shape = optional ?? {};
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'expected a map');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const check = Object.hasOwn(required, key) ? required[key] : Object.hasOwn(opt, key) ? opt[key] : undefined;
      if (!check) fail(path, `unknown field ${JSON.stringify(key)}`);
      out[key] = check(v[key], `${path}.${key}`);
    }
    for (const key of Object.keys(required)) if (!Object.hasOwn(v, key)) fail(path, `missing field ${JSON.stringify(key)}`);
    return out as Out<R> & Partial<Out<O>>;
  };
}
