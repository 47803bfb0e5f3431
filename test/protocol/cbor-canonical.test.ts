// The one-pass canonical decoder: it proves the common shapes canonical, never proves non-canonical bytes, and
// (fuzzed) every byte string it proves is exactly what @ipld/dag-cbor encodes for the value it decodes, and the
// value it gives is @ipld/dag-cbor's.
import * as dagCbor from '@ipld/dag-cbor';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProvenCanonical, mapValueBytes } from '../../src/core/protocol/cbor-canonical.ts';
import { cidOf, decodeStrict, encode } from '../../src/core/protocol/index.ts';

const h = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s/g, ''), 'hex'));
const link = cidOf(new Uint8Array([1]));
const isAscii = (text: string) => [...text].every((c) => c.charCodeAt(0) < 0x80);

/** True when the decoder takes the bytes and encoding its value again gives them back. */
function reencodesTo(bytes: Uint8Array): boolean {
  try {
    return Buffer.from(dagCbor.encode(dagCbor.decode(bytes))).equals(bytes);
  } catch {
    return false;
  }
}

const provenCanonical = (bytes: Uint8Array) => decodeProvenCanonical(bytes) !== undefined;

describe('decodeProvenCanonical', () => {
  it('proves the shapes protocol documents use', () => {
    const value = {
      a: 1,
      bb: [true, false, null, 'x', -1, -24, -25, 23, 24, 255, 256, 65535, 65536, 2 ** 32, 1_700_000_000_000],
      c: new Uint8Array(300),
      d: link,
      e: { nested: [[], {}, ''] },
      max: Number.MAX_SAFE_INTEGER,
      min: -Number.MAX_SAFE_INTEGER,
    };
    const bytes = encode(value);
    expect(decodeProvenCanonical(bytes)?.value).toEqual(value);
    expect(decodeProvenCanonical(bytes)?.value).toEqual(dagCbor.decode(bytes));
    expect(decodeStrict(bytes)).toEqual(value);
  });

  it.each([
    ['unsorted map keys', 'a2 6162 01 6161 02'],
    ['a longer key first', 'a2 6261 61 01 6162 02'],
    ['a duplicate map key', 'a2 6161 01 6161 02'],
    ['a non-minimal integer', 'a1 6161 1801'],
    ['a non-minimal 2-byte integer', 'a1 6161 1900ff'],
    ['a non-minimal 8-byte integer', 'a1 6161 1b00000000ffffffff'],
    ['a non-minimal length', 'a1 6161 5801 00'],
    ['an indefinite-length list', 'a1 6161 9f01ff'],
    ['trailing bytes', 'a1 6161 01 00'],
    ['an undefined value', 'a1 6161 f7'],
    ['a float', 'a1 6161 fb3ff8000000000000'],
    ['a map with an integer key', 'a1 01 01'],
    ['a truncated document', 'a2 6161 01'],
    ['an unknown tag', 'a1 6161 c1 01'],
    ['a CID without its 0x00 prefix', `d82a 5824 ${Buffer.from(link.bytes).toString('hex')}`],
    ['a CID with a non-minimal codec varint', 'd82a 4a 00 01 f180 00 12 04 00000000'],
    ['a CID whose digest is short of its length', 'd82a 47 00 01 71 12 04 0000'],
    ['non-ASCII text (left to the re-encode)', 'a1 6161 62c3a9'],
    ['an integer beyond the safe range', '1b0020000000000000'],
    ['a negative integer beyond the safe range', '3b001fffffffffffff'],
  ])('does not prove %s', (_, hex) => {
    expect(provenCanonical(h(hex))).toBe(false);
  });

  it('never proves bytes that do not re-encode to themselves (fuzzed mutations of canonical documents)', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
      fc.maxSafeInteger(),
      fc.boolean(),
      fc.constant(null),
      fc.string({ maxLength: 8 }),
      fc.uint8Array({ maxLength: 40 }),
      fc.constant(link),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 6 }), tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    fc.assert(
      fc.property(
        value,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
        (v, edits) => {
          const bytes = dagCbor.encode(v);
          // The canonical bytes of a value whose texts are all ASCII are proven.
          if (isAscii(JSON.stringify(v))) expect(provenCanonical(bytes)).toBe(true);
          const mutated = bytes.slice();
          for (const [at, b] of edits) mutated[at % mutated.length] = b;
          const proven = decodeProvenCanonical(mutated);
          if (proven) {
            expect(reencodesTo(mutated)).toBe(true);
            expect(proven.value).toStrictEqual(dagCbor.decode(mutated));
          }
        },
      ),
      { numRuns: 3000, seed: 10 },
    );
  });
});

describe('mapValueBytes', () => {
  it('cuts the encoding of one top-level value out of canonical bytes', () => {
    const header = { type: 't', nonce: new Uint8Array(16), recipients: [link] };
    const bytes = encode({ body: { plain: [1, 'two'] }, header, signature: new Uint8Array(96) });
    expect(Buffer.from(mapValueBytes(bytes, 'header')!)).toEqual(Buffer.from(encode(header)));
    expect(mapValueBytes(bytes, 'missing')).toBeUndefined();
    expect(mapValueBytes(encode([1]), 'header')).toBeUndefined();
    // A value it cannot walk past (a float) leaves the cut to the caller's own encoding.
    expect(mapValueBytes(encode({ body: 1.5, header }), 'header')).toBeUndefined();
  });
});

describe('decoded values', () => {
  it('are plain copies, as @ipld/dag-cbor gives them, also from a Buffer', () => {
    const bytes = Buffer.from(encode({ b: new Uint8Array([1, 2, 3]), l: link }));
    const { value } = decodeProvenCanonical(bytes) as { value: { b: Uint8Array; l: typeof link } };
    expect(value).toStrictEqual(dagCbor.decode(bytes));
    expect(Buffer.isBuffer(value.b)).toBe(false);
    bytes.fill(0);
    expect([...value.b]).toEqual([1, 2, 3]);
    expect(value.l.equals(link)).toBe(true);
  });
});
