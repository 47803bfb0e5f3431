/**
 * The one way of checking untrusted input: decoded DAG-CBOR (protocol
 * documents, plugin payloads), JSON (config.json, plugin settings, route
 * bodies) alike. Each Check takes a value and the path to it and returns
 * the typed value or throws SchemaError naming the path and what was
 * expected. Structs refuse unknown and missing fields; byte strings, texts,
 * integers, lists and records carry their bounds. Messages never quote a
 * value that could be a secret (only lengths, integers and short keys).
 * Boundaries that speak another error (a plugin's 'malformed', the node's
 * ConfigError) catch SchemaPathError and word `path` and `problem` their way.
 * @module
 */
import type { CID } from 'multiformats/cid';
import { CID as CIDClass } from 'multiformats/cid';
import { fromBase64 } from './bytes.ts';
import { isProtocolCid } from './protocol/cbor.ts';
import { SchemaError } from './protocol/errors.ts';

export type Check<T> = (value: unknown, path: string) => T;
type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Check<infer T> ? T : never };

const utf8 = new TextEncoder();

/** A SchemaError (same name, same message) that keeps the path and the problem apart. */
export class SchemaPathError extends SchemaError {
  readonly path: string;
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(path === '' ? problem : `${path}: ${problem}`);
    this.path = path;
    this.problem = problem;
  }
}

function fail(path: string, message: string): never {
  throw new SchemaPathError(path, message);
}

/** The path of field `key` below `path` (the root path is ''). */
export function fieldPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

// Keys come from untrusted input: quote at most 64 characters of one.
const quoteKey = (key: string): string => JSON.stringify(key.slice(0, 64));

/** A byte string of exactly `size` bytes, or of min..max bytes. */
export function bytes(size: number | { min?: number; max: number }): Check<Uint8Array> {
  const [min, max] = typeof size === 'number' ? [size, size] : [size.min ?? 0, size.max];
  return (v, path) => {
    if (!(v instanceof Uint8Array)) fail(path, 'expected bytes');
    if (v.length < min || v.length > max) {
      const expected = min === max ? `${min}` : `${min}..${max}`;
      fail(path, `expected ${expected} bytes, got ${v.length}`);
    }
    return v;
  };
}

export interface TextBounds {
  readonly minBytes?: number;
  readonly maxBytes: number;
  readonly pattern?: RegExp;
  readonly test?: (s: string) => boolean;
  /** What a text that fails `pattern` or `test` should have been ("a plugin name"). */
  readonly what?: string;
}

/** A string of minBytes..maxBytes UTF-8 bytes, matching `pattern` when given, accepted by `test` when given. */
export function text(o: TextBounds): Check<string> {
  return (v, path) => {
    if (typeof v !== 'string') fail(path, 'expected a string');
    const n = utf8.encode(v).length;
    const min = o.minBytes ?? 0;
    if (n < min || n > o.maxBytes) fail(path, `expected ${min}..${o.maxBytes} UTF-8 bytes, got ${n}`);
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

export interface ListBounds<T> {
  readonly min?: number;
  readonly max: number;
  /** Items with the same key are refused. */
  readonly unique?: (t: T) => string;
  /** Why two equal items are refused ("an issuer is listed twice"); default "duplicate items". */
  readonly duplicate?: string;
}

/**
 * A list of min..max items, each checked by `item`; `unique` compares items by a key (`duplicate` says why two
 * equal ones are refused).
 */
export function list<T>(item: Check<T>, o: ListBounds<T>): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, 'expected a list');
    const min = o.min ?? 0;
    if (v.length < min || v.length > o.max) fail(path, `expected ${min}..${o.max} items, got ${v.length}`);
    const out = v.map((x, i) => item(x, `${path}[${i}]`));
    if (o.unique) {
      const keys = out.map(o.unique);
      if (new Set(keys).size !== keys.length) fail(path, o.duplicate ?? 'duplicate items');
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
export function struct<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
): Check<Out<R> & Partial<Out<O>>> {
  const opt: Shape = optional ?? {};
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'expected a map');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      if (v[key] === undefined) continue; // a field set to undefined (by a JS caller) is absent: neither codec has it
      const check = Object.hasOwn(required, key) ? required[key] : Object.hasOwn(opt, key) ? opt[key] : undefined;
      if (!check) fail(path, `unknown field ${quoteKey(key)}`);
      out[key] = check(v[key], fieldPath(path, key));
    }
    for (const key of Object.keys(required)) {
      if (!Object.hasOwn(v, key) || v[key] === undefined) fail(path, `missing field ${JSON.stringify(key)}`);
    }
    return out as Out<R> & Partial<Out<O>>;
  };
}

/** true or false. */
export const boolean: Check<boolean> = (v, path) => (typeof v === 'boolean' ? v : fail(path, 'expected true or false'));

/** One of the strings `values`. */
export function oneOf<T extends string>(values: readonly T[]): Check<T> {
  const expected = `expected one of ${values.join(', ')}`;
  return (v, path) => ((values as readonly unknown[]).includes(v) ? (v as T) : fail(path, expected));
}

/**
 * A map from keys matching `key.pattern` to values checked by `value`, at most `max` entries: settings by
 * plugin name and the like, where the keys are data rather than a fixed set of fields.
 */
export function record<T>(
  key: { pattern: RegExp; what: string },
  value: Check<T>,
  o: { max: number },
): Check<Record<string, T>> {
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'expected a map');
    const keys = Object.keys(v);
    if (keys.length > o.max) fail(path, `expected at most ${o.max} entries, got ${keys.length}`);
    const out: Record<string, T> = {};
    for (const k of keys) {
      if (!key.pattern.test(k)) fail(path, `${quoteKey(k)} is not ${key.what}`);
      // defineProperty: a key such as "__proto__" (an own key after JSON.parse) stays data, not a prototype.
      Object.defineProperty(out, k, { value: value(v[k], fieldPath(path, k)), enumerable: true, writable: true });
    }
    return out;
  };
}

/** The shapes a JSON or DAG-CBOR value can take, for `byShape`. */
export type ValueShape = 'list' | 'map' | 'string' | 'number' | 'boolean' | 'bytes' | 'null';

function shapeOf(v: unknown): ValueShape | undefined {
  if (Array.isArray(v)) return 'list';
  if (v instanceof Uint8Array) return 'bytes';
  if (v === null) return 'null';
  if (isPlainObject(v)) return 'map';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : undefined;
}

/** A value that may take several shapes, each with its own check (say a list of names, or a map of settings). */
export function byShape<T>(branches: Partial<Record<ValueShape, Check<T>>>, expected: string): Check<T> {
  return (v, path) => {
    const shape = shapeOf(v);
    const check = shape === undefined ? undefined : branches[shape];
    return check ? check(v, path) : fail(path, `expected ${expected}`);
  };
}

/** `inner`, but a failure at this value itself (not inside it) reads "expected <what>". */
export function described<T>(inner: Check<T>, what: string): Check<T> {
  return (v, path) => {
    try {
      return inner(v, path);
    } catch (e) {
      if (e instanceof SchemaPathError && e.path === path) fail(path, `expected ${what}`);
      throw e;
    }
  };
}

/** What `inner` accepts, turned into another value by `convert` (which may throw errors of its own). */
export function converted<T, U>(inner: Check<T>, convert: (t: T) => U): Check<U> {
  return (v, path) => convert(inner(v, path));
}

/** A value that `accept` turns into a T (undefined when it will not): for checks no combinator expresses. */
export function accepted<T>(what: string, accept: (v: unknown) => T | undefined): Check<T> {
  return (v, path) => {
    const out = accept(v);
    return out === undefined ? fail(path, `expected ${what}`) : out;
  };
}

/**
 * An absolute http: or https: URL (at most 2048 characters), returned as given. `origin`: nothing after
 * scheme://host[:port]; `base`: no credentials, query or fragment (a base to add paths to).
 */
export function httpUrl(o: { origin?: boolean; base?: boolean } = {}): Check<string> {
  const what = o.origin
    ? 'an http(s) origin (scheme://host[:port])'
    : o.base
      ? 'an http(s) base URL'
      : 'an http(s) URL';
  return accepted(what, (v) => {
    if (typeof v !== 'string' || v.length > 2048 || !URL.canParse(v)) return undefined;
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    if (o.origin && u.origin !== v) return undefined;
    if (o.base && (u.search || u.hash || u.username || u.password)) return undefined;
    return v;
  });
}

/** A byte string carried in JSON as strict standard base64 (padded, canonical), of `size` bytes as for `bytes`. */
export function base64Bytes(size: number | { min?: number; max: number }): Check<Uint8Array> {
  const length = bytes(size);
  const maxChars = (Math.ceil((typeof size === 'number' ? size : size.max) / 3) + 1) * 4;
  return (v, path) => {
    // Refuse a huge text before decoding it: the length is known from the bound.
    if (typeof v !== 'string' || v.length > maxChars) fail(path, 'expected standard base64');
    let decoded: Uint8Array;
    try {
      decoded = fromBase64(v, path);
    } catch {
      fail(path, 'expected standard base64');
    }
    return length(decoded, path);
  };
}
