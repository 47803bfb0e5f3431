/**
 * QR codes in the e2e tests, handled as a person would: a picture of the code on one device's screen is
 * uploaded on another (qrPng + uploadQr), or shown to the other's camera — Chromium's fake camera playing a
 * Y4M video of the code (cameraShowing). The codes are drawn by the app; the Y4M frame by the qr library.
 * @module
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import encodeQR from 'qr';

/** A PNG of the QR code the app shows in the element `testid` (its drawing only, not the caption). */
export function qrPng(page: Page, testid: string): Promise<Buffer> {
  return page.getByTestId(testid).locator('.qr-code').screenshot({ animations: 'disabled' });
}

/** Chooses an image file on a QrScan control (`${testid}-file`), as "Read from an image" does. */
export async function uploadQr(
  page: Page,
  testid: string,
  image: Buffer,
  name = 'qr.png',
  mimeType = 'image/png',
): Promise<void> {
  await page.getByTestId(`${testid}-file`).setInputFiles({ name, mimeType, buffer: image });
}

const FRAME = { width: 640, height: 480 } as const;

/**
 * A one-frame Y4M video (4:2:0, which Chromium's fake camera loops) of `text` as a QR code, dark modules on
 * white, centred; written to `dir`. Returns Chromium's flags for a camera that films it, permission granted.
 */
export async function cameraShowing(dir: string, text: string): Promise<string[]> {
  const modules = encodeQR(text, 'raw', { border: 4 });
  const scale = Math.floor((Math.min(FRAME.width, FRAME.height) * 0.8) / modules.length);
  if (scale < 2) throw new Error('cameraShowing: the text is too long for one frame');
  const luma = new Uint8Array(FRAME.width * FRAME.height).fill(235);
  const left = (FRAME.width - modules.length * scale) >> 1;
  const top = (FRAME.height - modules.length * scale) >> 1;
  modules.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++)
        luma.fill(
          16,
          (top + y * scale + dy) * FRAME.width + left + x * scale,
          (top + y * scale + dy) * FRAME.width + left + (x + 1) * scale,
        );
    });
  });
  const chroma = new Uint8Array((FRAME.width / 2) * (FRAME.height / 2) * 2).fill(128);
  const header = `YUV4MPEG2 W${FRAME.width} H${FRAME.height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`;
  const file = join(dir, 'qr-camera.y4m');
  await writeFile(file, Buffer.concat([Buffer.from(header, 'ascii'), luma, chroma]));
  return [
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${file}`,
    '--use-fake-ui-for-media-stream',
  ];
}
