/**
 * Draws the app's icons and writes them as PNG files into public/icons/ (committed, so building the app
 * needs no image tools): icon-192.png and icon-512.png (purpose "any": a rounded square) and
 * maskable-512.png (purpose "maskable": full-bleed background, the mark inside the 80 % safe circle).
 *
 * The mark: three nodes joined in a triangle around a gold centre — several fiduciaries, one secret.
 * Shapes are signed distance functions, so edges are anti-aliased without supersampling. The PNG writer is
 * the minimum the format asks for (PNG spec, 2nd ed., sections 5, 11.2.2, 11.2.4, 11.2.5): signature, IHDR,
 * one IDAT of zlib-compressed scanlines with filter type 0, IEND, each chunk with its CRC-32.
 * https://www.w3.org/TR/png/
 *
 * Run: node scripts/make-icons.ts
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];

const BLUE: Rgba = [29, 79, 145, 255];
const BLUE_DARK: Rgba = [18, 52, 99, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const GOLD: Rgba = [242, 177, 52, 255];

// ---- PNG encoding ----

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** length (4) || type (4) || data || CRC-32 of type and data (4). */
function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An 8-bit RGBA PNG of `size` x `size` pixels from `rgba` (row-major, 4 bytes a pixel). */
function encodePng(size: number, rgba: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, size);
  v.setUint32(4, size);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  const raw = new Uint8Array(size * (1 + size * 4));
  for (let y = 0; y < size; y++) {
    raw[y * (1 + size * 4)] = 0; // filter type None
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (1 + size * 4) + 1);
  }
  const signature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const parts = [
    signature,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---- drawing, in coordinates u, v in [-1, 1] with v growing downwards ----

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));

function circle(u: number, v: number, cx: number, cy: number, r: number): number {
  return Math.hypot(u - cx, v - cy) - r;
}

function segment(u: number, v: number, ax: number, ay: number, bx: number, by: number, halfWidth: number): number {
  const [px, py, dx, dy] = [u - ax, v - ay, bx - ax, by - ay];
  const t = clamp01((px * dx + py * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - t * dx, py - t * dy) - halfWidth;
}

function roundedSquare(u: number, v: number, half: number, radius: number): number {
  const qx = Math.abs(u) - half + radius;
  const qy = Math.abs(v) - half + radius;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** src over dst, both straight (non-premultiplied) RGBA with alpha 0..255; `cover` scales src's alpha. */
function over(dst: number[], src: Rgba, cover: number): void {
  const a = (src[3] / 255) * cover;
  if (a <= 0) return;
  const da = dst[3]! / 255;
  const oa = a + da * (1 - a);
  for (let i = 0; i < 3; i++) dst[i] = (src[i]! * a + dst[i]! * da * (1 - a)) / oa;
  dst[3] = oa * 255;
}

/** The three nodes of the mark, on a circle of radius `r`. */
function nodes(r: number): [number, number][] {
  return [90, 210, 330].map((deg) => [r * Math.cos((deg * Math.PI) / 180), -r * Math.sin((deg * Math.PI) / 180)]);
}

/** The colour of pixel (u, v), `px` wide; the maskable icon has a full-bleed background and a smaller mark (safe zone). */
function shade(u: number, v: number, px: number, maskable: boolean): number[] {
  const cover = (d: number) => clamp01(0.5 - d / px);
  const out = [0, 0, 0, 0];
  const bg: Rgba = [
    BLUE[0] + (BLUE_DARK[0] - BLUE[0]) * ((v + 1) / 2),
    BLUE[1] + (BLUE_DARK[1] - BLUE[1]) * ((v + 1) / 2),
    BLUE[2] + (BLUE_DARK[2] - BLUE[2]) * ((v + 1) / 2),
    255,
  ];
  over(out, bg, maskable ? 1 : cover(roundedSquare(u, v, 0.96, 0.4)));
  const s = maskable ? 0.72 : 0.92;
  const [x, y] = [u / s, (v - 0.04) / s];
  const n = nodes(0.5);
  for (let i = 0; i < 3; i++) {
    const [a, b] = [n[i]!, n[(i + 1) % 3]!];
    over(out, WHITE, cover(segment(x, y, a[0], a[1], b[0], b[1], 0.045) * s));
    over(out, GOLD, cover(segment(x, y, 0, 0, a[0], a[1], 0.028) * s));
  }
  for (const [cx, cy] of n) over(out, WHITE, cover(circle(x, y, cx, cy, 0.15) * s));
  over(out, GOLD, cover(circle(x, y, 0, 0, 0.13) * s));
  return out;
}

function draw(size: number, maskable: boolean): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const px = 2 / size;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const c = shade(-1 + (i + 0.5) * px, -1 + (j + 0.5) * px, px, maskable);
      rgba.set(
        c.map((x) => Math.round(x)),
        (j * size + i) * 4,
      );
    }
  }
  return rgba;
}

const ICONS = [
  { file: 'icon-192.png', size: 192, maskable: false },
  { file: 'icon-512.png', size: 512, maskable: false },
  { file: 'maskable-512.png', size: 512, maskable: true },
] as const;

const dir = new URL('../public/icons/', import.meta.url);
await mkdir(dir, { recursive: true });
for (const icon of ICONS) {
  const png = encodePng(icon.size, draw(icon.size, icon.maskable));
  await writeFile(new URL(icon.file, dir), png);
  console.log(`public/icons/${icon.file}: ${icon.size}x${icon.size}, ${png.length} bytes`);
}
