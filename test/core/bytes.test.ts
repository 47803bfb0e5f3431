/**
 * The one bytes module: round trips of every encoding, and the strictness that gives each byte string exactly one
 * spelling (padding, unused bits, alphabets, whitespace); constant-time equality's answers; concat, i2osp, wipe,
 * randomBytes, expectBytes and printableText.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  concat,
  equalBytes,
  expectBytes,
  fromBase64,
  fromBase64Url,
  fromHex,
  i2osp,
  printableText,
  randomBytes,
  toBase64,
  toBase64Url,
  toHex,
  utf8,
  wipe,
} from '../../src/core/bytes.ts';
import { BadEncodingError, BadLengthError } from '../../src/core/errors.ts';

const anyBytes = fc.uint8Array({ maxLength: 200 });

describe('round trips', () => {
  it("base64, base64url and hex decode what they encode, and agree with Node's encoders", () => {
    fc.assert(
      fc.property(anyBytes, (b) => {
        const node = Buffer.from(b);
        expect(toBase64(b)).toBe(node.toString('base64'));
        expect(toBase64Url(b)).toBe(node.toString('base64url'));
        expect(toHex(b)).toBe(node.toString('hex'));
        expect(fromBase64(toBase64(b))).toEqual(b);
        expect(fromBase64Url(toBase64Url(b))).toEqual(b);
        expect(fromHex(toHex(b))).toEqual(b);
      }),
    );
  });

  it('utf8 is the UTF-8 encoding', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(utf8(s)).toEqual(new Uint8Array(Buffer.from(s, 'utf8')));
      }),
    );
  });
});

describe('strictness: one spelling per byte string', () => {
  const refusesBase64 = (text: unknown) => expect(() => fromBase64(text, 'field')).toThrow(BadEncodingError);

  it('base64: padding required and exact, unused bits zero, standard alphabet, no whitespace', () => {
    const bad = ['QQ', 'QQ=', 'QQ===', 'QUI', 'QR==', 'QUJ=', '====', 'Q', 'QQ==QQ==', ' QQ==', 'QQ==\n', 'Q Q=='];
    for (const text of bad) {
      refusesBase64(text);
    }
    refusesBase64('-_8=');
    refusesBase64(3);
    refusesBase64(undefined);
    expect(fromBase64('')).toEqual(new Uint8Array());
    expect(fromBase64('+/8=')).toEqual(Uint8Array.of(0xfb, 0xff));
  });

  it('base64: the error names the field and what was expected, never the value', () => {
    expect(() => fromBase64('secret!!', 'envelope')).toThrow('envelope: expected standard base64');
  });

  it('base64: every non-canonical last character is refused', () => {
    const someBytes = fc.uint8Array({ minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(someBytes, fc.integer({ min: 1, max: 15 }), (b, flip) => {
        const text = toBase64(b);
        const pad = b.length % 3 === 1 ? 2 : b.length % 3 === 2 ? 1 : 0;
        if (pad === 0) return;
        const unusedBits = pad === 2 ? 4 : 2;
        if (flip >= 1 << unusedBits) return; // changes used bits: another byte string, not another spelling
        const at = text.length - pad - 1;
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
        const other = alphabet[alphabet.indexOf(text[at]!) ^ flip]!;
        refusesBase64(text.slice(0, at) + other + text.slice(at + 1));
      }),
    );
  });

  it('base64url: no padding, URL alphabet, unused bits zero, no impossible lengths', () => {
    for (const bad of ['AA==', 'ab+/', 'ABCDE', 'AB', 'AAF', 'A']) {
      expect(() => fromBase64Url(bad, 'card')).toThrow(BadEncodingError);
    }
    expect(fromBase64Url('AA')).toEqual(Uint8Array.of(0));
    expect(fromBase64Url('AAE-')).toEqual(Uint8Array.of(0, 1, 62));
  });

  it('hex: either case in, lowercase out; odd lengths, other characters and whitespace refused', () => {
    expect(fromHex('AbCdEF')).toEqual(Uint8Array.of(0xab, 0xcd, 0xef));
    expect(toHex(Uint8Array.of(0xab, 0xcd, 0xef))).toBe('abcdef');
    for (const bad of ['abc', 'zz', ' ab', 'ab ', '0x00', 'ａｂ']) {
      expect(() => fromHex(bad, 'key')).toThrow(BadEncodingError);
    }
  });
});

describe('byte strings', () => {
  it('concat joins in order, whatever the parts', () => {
    fc.assert(
      fc.property(fc.array(anyBytes, { maxLength: 6 }), (parts) => {
        expect(concat(...parts)).toEqual(new Uint8Array(Buffer.concat(parts)));
      }),
    );
    const a = Uint8Array.of(1, 2, 3);
    const joined = concat(a.subarray(1), Uint8Array.of(9));
    expect(joined).toEqual(Uint8Array.of(2, 3, 9));
    joined[0] = 7;
    expect(a[1]).toBe(2); // a copy, never a view of a part
  });

  it('equalBytes: equal contents and lengths only', () => {
    fc.assert(
      fc.property(anyBytes, anyBytes, (a, b) => {
        expect(equalBytes(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(equalBytes(a, Uint8Array.from(a))).toBe(true);
      }),
    );
    const a = Uint8Array.of(1, 2, 3, 4);
    for (let i = 0; i < a.length; i++) {
      const b = Uint8Array.from(a);
      b[i]! ^= 0x80;
      expect(equalBytes(a, b)).toBe(false); // a difference anywhere, the last byte included
    }
    expect(equalBytes(a, a.subarray(0, 3))).toBe(false);
  });

  it('i2osp is big-endian of the given width', () => {
    expect(i2osp(0x0102, 2)).toEqual(Uint8Array.of(1, 2));
    expect(i2osp(1, 4)).toEqual(Uint8Array.of(0, 0, 0, 1));
    expect(i2osp(2 ** 32 + 5, 8)).toEqual(Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 5));
  });

  it('wipe zeroes every buffer given, skipping undefined', () => {
    const a = Uint8Array.of(1, 2);
    const b = Uint8Array.of(3);
    wipe(a, undefined, b);
    expect([...a, ...b]).toEqual([0, 0, 0]);
  });

  it('randomBytes: the length asked, beyond one getRandomValues call too', () => {
    expect(randomBytes(0)).toHaveLength(0);
    const big = randomBytes(70_000);
    expect(big).toHaveLength(70_000);
    expect(big.subarray(66_000).some((x) => x !== 0)).toBe(true); // the second call's part was filled
  });

  it('expectBytes: a Uint8Array of the length, else BadLengthError naming it', () => {
    expectBytes(new Uint8Array(4), 4, 'key');
    expect(() => expectBytes(new Uint8Array(3), 4, 'key')).toThrow(new BadLengthError('key: expected 4 bytes, got 3'));
    expect(() => expectBytes('abcd', 4, 'key')).toThrow(BadLengthError);
  });

  it('printableText: UTF-8 without control characters (newlines and tabs allowed)', () => {
    expect(printableText(utf8('line 1\n\tline 2'))).toBe('line 1\n\tline 2');
    expect(printableText(Uint8Array.of(0xff))).toBeUndefined();
    expect(printableText(utf8('bell\u0007'))).toBeUndefined();
  });
});
