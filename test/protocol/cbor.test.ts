// Strict DAG-CBOR and the schema checker: canonical bytes only, size limits, typed fields, protocol CIDs.
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { create as createDigest } from 'multiformats/hashes/digest';
import { describe, expect, it } from 'vitest';
import {
  checkCid,
  cidOf,
  decodeStrict,
  encode,
  isProtocolCid,
  MAX_DOCUMENT_BYTES,
  schema,
} from '../../src/core/protocol/index.ts';
import { errorName } from './helpers.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));

describe('decodeStrict', () => {
  it('round-trips canonical values, links included', () => {
    const link = cidOf(new Uint8Array([1]));
    const value = { a: 1, b: [true, null, 'x'], c: new Uint8Array([1, 2]), d: link, e: -5 };
    const bytes = encode(value);
    expect(decodeStrict(bytes)).toEqual(value);
    expect(cidOf(bytes).equals(cidOf(encode(decodeStrict(bytes))))).toBe(true);
  });

  it.each([
    ['unsorted map keys', 'a2 6162 01 6161 02'],
    ['a duplicate map key', 'a2 6161 01 6161 02'],
    ['a non-minimal integer', 'a1 6161 1801'],
    ['a non-minimal length', 'a1 6161 5801 00'],
    ['a float standing for an integer', 'a1 6161 f93c00'],
    ['an indefinite-length list', 'a1 6161 9f01ff'],
    ['trailing bytes', 'a1 6161 01 00'],
    ['an undefined value', 'a1 6161 f7'],
    ['a NaN', 'a1 6161 f97e00'],
    ['a map with an integer key', 'a1 01 01'],
    ['a truncated document', 'a2 6161 01'],
    ['an unknown tag', 'a1 6161 c1 01'],
  ])('refuses %s with DecodeError', async (_, hex) => {
    expect(await errorName(() => decodeStrict(h(hex)))).toBe('DecodeError');
  });

  it('refuses documents above the limit with OversizeError, before decoding', async () => {
    const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
    expect(await errorName(() => decodeStrict(big))).toBe('OversizeError');
    expect(await errorName(() => encode({ x: new Uint8Array(MAX_DOCUMENT_BYTES) }))).toBe('OversizeError');
    expect(await errorName(() => decodeStrict(encode({ x: new Uint8Array(100) }), 64))).toBe('OversizeError');
  });

  it('encode refuses values DAG-CBOR cannot hold with SchemaError', async () => {
    expect(await errorName(() => encode({ a: undefined }))).toBe('SchemaError');
    // biome-ignore lint/correctness/noPrecisionLoss: the point is a number that overflows to Infinity
    expect(await errorName(() => encode({ a: 1.5e400 }))).toBe('SchemaError');
  });
});

describe('CIDs', () => {
  it('cidOf is CIDv1 dag-cbor sha2-256 and checkCid compares bytes to it', async () => {
    const bytes = encode({ hello: 'world' });
    const cid = cidOf(bytes);
    expect(cid.toString()).toMatch(/^bafyrei/);
    expect(isProtocolCid(cid)).toBe(true);
    checkCid(cid, bytes);
    expect(await errorName(() => checkCid(cid, encode({ hello: 'there' })))).toBe('CidMismatchError');
  });

  it('other CID kinds are not protocol CIDs', () => {
    const bytes = encode({});
    const v0 = CID.createV0(cidOf(bytes).multihash as never);
    const raw = CID.create(1, 0x55, cidOf(bytes).multihash);
    const otherHash = CID.create(1, 0x71, createDigest(0x13, new Uint8Array(64)));
    for (const c of [v0, raw, otherHash, 'bafy', null]) expect(isProtocolCid(c)).toBe(false);
  });
});

describe('schema', () => {
  const { struct, bytes, text, integer, list, literal, cid, nullable } = schema;
  const doc = struct(
    {
      kind: literal('t'),
      n: integer(0, 10),
      key: bytes(4),
      name: text({ minBytes: 1, maxBytes: 8 }),
      link: nullable(cid),
    },
    { tags: list(text({ maxBytes: 4 }), { max: 2, unique: (s) => s }) },
  );
  const good = { kind: 't', n: 3, key: new Uint8Array(4), name: 'abc', link: null };

  it('accepts a matching value, with or without optional fields', () => {
    expect(doc(good, 'doc')).toEqual(good);
    expect(doc({ ...good, tags: ['a'] }, 'doc')).toEqual({ ...good, tags: ['a'] });
  });

  it.each([
    ['an unknown field', { ...good, extra: 1 }, 'doc: unknown field "extra"'],
    ['a missing field', { kind: 't', n: 3, key: new Uint8Array(4), name: 'abc' }, 'doc: missing field "link"'],
    ['a wrong literal', { ...good, kind: 'u' }, 'doc.kind'],
    ['a string for an integer', { ...good, n: '3' }, 'doc.n: expected an integer'],
    ['a float', { ...good, n: 1.5 }, 'doc.n: expected an integer'],
    ['an integer out of range', { ...good, n: 11 }, 'doc.n: expected 0..10'],
    ['a bigint', { ...good, n: 3n }, 'doc.n'],
    ['a wrong byte length', { ...good, key: new Uint8Array(5) }, 'doc.key: expected 4 bytes, got 5'],
    ['a string for bytes', { ...good, key: 'abcd' }, 'doc.key: expected bytes'],
    ['a text too long (UTF-8 bytes)', { ...good, name: 'ééééé' }, 'doc.name'],
    ['a list too long', { ...good, tags: ['a', 'b', 'c'] }, 'doc.tags'],
    ['duplicate list items', { ...good, tags: ['a', 'a'] }, 'doc.tags: duplicate'],
    ['a non-protocol CID', { ...good, link: CID.create(1, 0x55, cidOf(new Uint8Array()).multihash) }, 'doc.link'],
    ['a list for a map', [good], 'doc: expected a map'],
  ])('refuses %s with SchemaError naming the path', (_, value, message) => {
    expect(() => doc(value, 'doc')).toThrow(
      expect.objectContaining({ name: 'SchemaError', message: expect.stringContaining(message) }),
    );
  });

  it('a "__proto__" key decodes as an own field and is refused as unknown', () => {
    const bytes = h('a1 69 5f5f70726f746f5f5f a0'); // {"__proto__": {}}
    expect(() => doc(decodeStrict(bytes), 'doc')).toThrow(/unknown field "__proto__"/);
    expect(Object.getPrototypeOf(decodeStrict(bytes))).toBe(Object.prototype);
  });

  it('decoded documents go through the same checks', () => {
    const bytes = dagCbor.encode({ ...good, extra: true });
    expect(() => doc(decodeStrict(bytes), 'doc')).toThrow(/unknown field/);
  });
});
