/**
 * Finding a QR code in pixels: a camera frame or an image file, drawn onto a canvas (scaled down when large:
 * the decoder's time grows with the pixel count, and a QR code filling a photo needs no more than this).
 * The decoder is loaded on first use, not with the app: most visits never scan.
 * @module
 */
import type { Image } from 'qr/decode.js';
import { QrError } from './errors.ts';

let decoder: Promise<typeof import('qr/decode.js')> | undefined;
const loadDecoder = () => (decoder ??= import('qr/decode.js'));

/** Longest side that is decoded, in pixels. */
export const MAX_SIDE = 1280;

/** The text of the first QR code in `image`, or undefined when there is none (or it cannot be read). */
export async function findQr(image: Image): Promise<string | undefined> {
  const { decodeQR } = await loadDecoder();
  try {
    return decodeQR(image);
  } catch {
    return undefined; // the decoder throws when it finds nothing: for a scanner that is the common case
  }
}

/** Scale that fits (width, height) within MAX_SIDE. */
export function fitScale(width: number, height: number): number {
  return Math.min(1, MAX_SIDE / Math.max(width, height, 1));
}

/** Draws `source` at most MAX_SIDE wide or high and returns its RGBA pixels. */
export function pixelsOf(
  source: CanvasImageSource,
  width: number,
  height: number,
  canvas = document.createElement('canvas'),
): Image {
  const scale = fitScale(width, height);
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new QrError('this browser cannot read images here');
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, data };
}

/** The text of the QR code in an image file (a photo or a screenshot of one). */
export async function readQrFile(file: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new QrError('that file is not an image this browser can open');
  }
  try {
    const text = await findQr(pixelsOf(bitmap, bitmap.width, bitmap.height));
    if (text === undefined) throw new QrError('no QR code was found in that image: try a sharper or closer picture');
    return text;
  } finally {
    bitmap.close();
  }
}
