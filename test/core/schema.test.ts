/**
 * The schema combinators added for JSON input (config, plugin settings and payloads): each accepts what it
 * describes, and refuses anything else with a SchemaError whose path and problem say which field and what was
 * expected, without quoting a value.
 */
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.ts';
import {
  accepted,
  base64Bytes,
  boolean,
  byShape,
  type Check,
  converted,
  described,
  httpUrl,
  integer,
  list,
  oneOf,
  record,
  SchemaPathError,
  struct,
  text,
} from '../../src/core/schema.ts';

function problemOf<T>(check: Check<T>, value: unknown, path = 'x'): { path: string; problem: string } {
  try {
    check(value, path);
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaPathError);
    expect((e as Error).name).toBe('SchemaError');
    const { path: at, problem } = e as SchemaPathError;
    expect((e as Error).message).toBe(at === '' ? problem : `${at}: ${problem}`);
    return { path: at, problem };
  }
  throw new Error('accepted');
}

describe('JSON combinators', () => {
  it('boolean and oneOf', () => {
    expect(boolean(false, 'x')).toBe(false);
    expect(problemOf(boolean, 'yes')).toEqual({ path: 'x', problem: 'expected true or false' });
    const kind = oneOf(['a', 'b'] as const);
    expect(kind('b', 'x')).toBe('b');
    expect(problemOf(kind, 'c')).toEqual({ path: 'x', problem: 'expected one of a, b' });
  });

  it('record: keys by pattern, values checked at their own path, bounded; "__proto__" kept as data', () => {
    const r = record({ pattern: /^[a-z]+$/, what: 'a name' }, integer(0, 9), { max: 2 });
    expect(r({ a: 1, b: 2 }, 'x')).toEqual({ a: 1, b: 2 });
    expect(problemOf(r, { A: 1 })).toEqual({ path: 'x', problem: '"A" is not a name' });
    expect(problemOf(r, { a: 10 })).toEqual({ path: 'x.a', problem: 'expected 0..9, got 10' });
    expect(problemOf(r, { a: 1, b: 2, c: 3 }).problem).toMatch(/at most 2 entries/);
    const out = record({ pattern: /^/, what: 'a key' }, integer(0, 9), { max: 2 })(JSON.parse('{"__proto__": 1}'), 'x');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it("byShape picks the check by the value's shape, and says what it expected otherwise", () => {
    const names = byShape<unknown>({ list: list(text({ maxBytes: 8 }), { max: 4 }), map: struct({}) }, 'names or {}');
    expect(names(['a'], 'x')).toEqual(['a']);
    expect(names({}, 'x')).toEqual({});
    expect(problemOf(names, 'a')).toEqual({ path: 'x', problem: 'expected names or {}' });
    expect(problemOf(names, [1]).path).toBe('x[0]');
  });

  it('described rewords a failure of the value itself, not of what is inside it', () => {
    const settings = described(struct({}, { n: integer(0, 1) }), 'an object of settings');
    expect(problemOf(settings, 3)).toEqual({ path: 'x', problem: 'expected an object of settings' });
    expect(problemOf(settings, { n: 2 })).toEqual({ path: 'x.n', problem: 'expected 0..1, got 2' });
  });

  it('converted and accepted', () => {
    const length = converted(text({ maxBytes: 10 }), (s) => s.length);
    expect(length('abc', 'x')).toBe(3);
    const even = accepted('an even number', (v) => (typeof v === 'number' && v % 2 === 0 ? v : undefined));
    expect(even(4, 'x')).toBe(4);
    expect(problemOf(even, 3)).toEqual({ path: 'x', problem: 'expected an even number' });
  });

  it('httpUrl: http(s) only; origins and base URLs as asked', () => {
    expect(httpUrl()('https://a.example/p?q', 'x')).toBe('https://a.example/p?q');
    for (const bad of ['file:///etc', 'not a url', 'ftp://a', 3]) expect(problemOf(httpUrl(), bad).path).toBe('x');
    expect(httpUrl({ origin: true })('https://a.example', 'x')).toBe('https://a.example');
    expect(problemOf(httpUrl({ origin: true }), 'https://a.example/').problem).toMatch(/origin/);
    expect(httpUrl({ base: true })('http://127.0.0.1:5556/api', 'x')).toBe('http://127.0.0.1:5556/api');
    for (const bad of ['http://u:p@a', 'http://a/?q', 'http://a/#f']) {
      expect(problemOf(httpUrl({ base: true }), bad).path).toBe('x');
    }
  });

  it('base64Bytes: strict base64 of the given size, refused without quoting it', () => {
    const b = new Uint8Array(4).fill(7);
    expect(base64Bytes(4)(toBase64(b), 'x')).toEqual(b);
    expect(problemOf(base64Bytes(4), 'BwcHBw')).toEqual({ path: 'x', problem: 'expected standard base64' });
    expect(problemOf(base64Bytes(4), 'BwcHBx==')).toEqual({ path: 'x', problem: 'expected standard base64' });
    const short = toBase64(new Uint8Array(3));
    expect(problemOf(base64Bytes(4), short)).toEqual({ path: 'x', problem: 'expected 4 bytes, got 3' });
    expect(problemOf(base64Bytes({ max: 4 }), 'A'.repeat(1000)).problem).toBe('expected standard base64');
  });

  it('struct: the root path is empty; a field set to undefined is absent; missing and unknown fields named', () => {
    const s = struct({ a: integer(0, 1) }, { b: boolean });
    expect(s({ a: 1, b: undefined }, '')).toEqual({ a: 1 });
    expect(problemOf(s, { a: undefined }, '')).toEqual({ path: '', problem: 'missing field "a"' });
    expect(problemOf(s, { a: 1, c: 1 }, '')).toEqual({ path: '', problem: 'unknown field "c"' });
    expect(problemOf(s, { a: 1, b: 1 }, '')).toEqual({ path: 'b', problem: 'expected true or false' });
  });
});
