/**
 * QR codes as the app uses them: the identity payload and its parser, and a real round trip — the library's
 * encoder draws a code into RGBA pixels (as a canvas would hold a photo of the screen) and the app's reader
 * (findQr, the same function the camera and image paths call) gets the text back.
 */
import encodeQR from 'qr';
import { describe, expect, it } from 'vitest';
import { QrError } from '../../src/app/qr/errors.ts';
import { identityPayload, readIdentityPayload } from '../../src/app/qr/payload.ts';
import { findQr, fitScale, MAX_SIDE } from '../../src/app/qr/read-image.ts';

const CID_TEXT = 'bafyreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy';

/** The code for `text` as RGBA pixels, `scale` pixels a module, on a white page `margin` pixels wide. */
function render(text: string, scale: number, margin = 20): { width: number; height: number; data: Uint8ClampedArray } {
  const modules = encodeQR(text, 'raw', { border: 4 });
  const side = modules.length * scale + 2 * margin;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = ((margin + y * scale + dy) * side + margin + x * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    });
  });
  return { width: side, height: side, data };
}

describe('identity QR payload', () => {
  it('is the CID behind a dta:identity: prefix, and reads back to the same CID', () => {
    const text = identityPayload(CID_TEXT);
    expect(text).toBe(`dta:identity:${CID_TEXT}`);
    expect(readIdentityPayload(text)).toBe(CID_TEXT);
  });

  it('accepts a bare CID (copied text, a plain QR app) and surrounding whitespace', () => {
    expect(readIdentityPayload(`  ${CID_TEXT}\n`)).toBe(CID_TEXT);
  });

  it('refuses other dta codes, other text and broken CIDs with a readable QrError', () => {
    for (const bad of [
      'dta:bitcoin-key:AAAA',
      'dta:identity:dta:bitcoin-key:AAAA',
      'https://example.com',
      '',
      `dta:identity:${CID_TEXT.slice(0, -3)}`,
    ]) {
      expect(() => readIdentityPayload(bad), bad).toThrow(QrError);
    }
    try {
      readIdentityPayload('not a code secret-looking-text');
    } catch (e) {
      expect((e as Error).message).not.toContain('secret-looking-text');
    }
  });

  it('refuses to make a payload of something that is not a CID', () => {
    expect(() => identityPayload('bafy-not-a-cid')).toThrow();
  });
});

describe('reading QR codes from pixels', () => {
  it('finds the identity payload in a rendered code, at several module sizes', async () => {
    const text = identityPayload(CID_TEXT);
    for (const scale of [2, 4, 7]) expect(await findQr(render(text, scale)), `scale ${scale}`).toBe(text);
  });

  it('reads a long payload (a ~300-byte key card in base64url)', async () => {
    const text = `dta:bitcoin-key:${Buffer.from(Uint8Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff)).toString('base64url')}`;
    expect(await findQr(render(text, 4))).toBe(text);
  });

  it('says "nothing found" (undefined) for a blank image and for noise, without throwing', async () => {
    const blank = { width: 200, height: 200, data: new Uint8ClampedArray(200 * 200 * 4).fill(255) };
    expect(await findQr(blank)).toBeUndefined();
    let seed = 7;
    const noise = new Uint8ClampedArray(200 * 200 * 4).map((_, i) => {
      if (i % 4 === 3) return 255;
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    });
    expect(await findQr({ width: 200, height: 200, data: noise })).toBeUndefined();
  });

  it('scales large images down to MAX_SIDE and never up', () => {
    expect(fitScale(4000, 3000) * 4000).toBe(MAX_SIDE);
    expect(fitScale(3000, 4000) * 4000).toBe(MAX_SIDE);
    expect(fitScale(640, 480)).toBe(1);
  });
});
