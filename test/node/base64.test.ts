// Base64 at the HTTP edge (src/node/http/base64.ts) on Node's codec: the same text as the core's encoder for
// every length, and a decoder exactly as strict as the core's (one value, one text), refusing with 'malformed'.
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from '../../src/core/bytes.ts';
import { base64Of, bytesOfBase64 } from '../../src/node/http/base64.ts';

describe('base64 at the HTTP edge', () => {
  it('encodes and decodes as the core does, for every length from 0 to 300', () => {
    for (let n = 0; n <= 300; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = base64Of(bytes);
      expect(text).toBe(toBase64(bytes));
      const back = bytesOfBase64(text, 'envelope');
      expect([...back]).toEqual([...fromBase64(text)]);
      expect(back.byteOffset === 0 && back.buffer.byteLength === n).toBe(true); // its own buffer, not a pool's
    }
    const view = new Uint8Array(10).fill(7).subarray(3, 8);
    expect(base64Of(view)).toBe(toBase64(view));
  });

  it('refuses what the core refuses: padding, whitespace, unused bits, the URL alphabet, not a string', () => {
    const refused = ['AAE', 'AAE==', 'AA E=', 'AAE=\n', 'AAF=', '-_8=', '+/8', 'A', '====', 'AA=A', 42, null];
    for (const text of refused) {
      expect(() => fromBase64(text)).toThrow();
      expect(() => bytesOfBase64(text, 'envelope')).toThrow(
        expect.objectContaining({ code: 'malformed', message: 'envelope: expected standard base64' }),
      );
    }
    expect([...bytesOfBase64('AAE=', 'envelope')]).toEqual([0, 1]);
    expect(bytesOfBase64('', 'envelope').length).toBe(fromBase64('').length);
  });
});
