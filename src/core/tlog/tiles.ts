/**
 * C2SP tlog-tiles: the log's tree served as static, immutable files.
 *
 * A tile at level L holds up to 256 consecutive stored hashes of tree level
 * 8·L: tile (L, N) covers the hashes N·256 .. N·256+255 of that level, so a
 * level-0 tile holds leaf hashes and each hash of a level-1 tile is the root
 * of a full level-0 tile. Its path is `tile/<L>/<N>` for a full tile and
 * `tile/<L>/<N>.p/<W>` for the rightmost, partial one of width W < 256, N
 * written in 3-digit groups, all but the last prefixed with `x`
 * (1234067 → x001/x234/067). The entries behind level-0 tile N are the
 * bundle `tile/entries/<N>[.p/<W>]`: each entry as a big-endian uint16
 * length and its bytes.
 *
 * A server answers a tile from its stored hashes (tileOf); a client reads
 * only tiles and computes the hashes between the tile levels (tileReader),
 * then proves and verifies with merkle.ts as if it held the tree.
 * @module
 */
import { concat } from '../bytes.ts';
import { TlogError } from './errors.ts';
import { checkSize, HASH_SIZE, type HashReader, nodeHash } from './merkle.ts';

/** Tree levels per tile level. */
export const TILE_HEIGHT = 8;
/** Hashes in a full tile (2^TILE_HEIGHT), and entries in a full bundle. */
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

const MAX_TILE_LEVEL = 63;
const MAX_ENTRY_SIZE = 0xffff;

/** Where a tile (or an entry bundle) sits: its tile level, index and width (1..256, 256 = full). */
export interface TilePosition {
  level: number;
  n: number;
  width: number;
}

/** `tile/<L>/<N>[.p/<W>]`, e.g. tilePath(0, 1234, 5) = `tile/0/x001/234.p/5`. */
export function tilePath(level: number, n: number, width: number): string {
  if (!Number.isInteger(level) || level < 0 || level > MAX_TILE_LEVEL) {
    throw new TlogError('out_of_range', `tile level: expected an integer 0..${MAX_TILE_LEVEL}`);
  }
  return `tile/${level}/${indexPath(n, width)}`;
}

/** `tile/entries/<N>[.p/<W>]`: the entries under level-0 tile N. */
export function entriesPath(n: number, width: number): string {
  return `tile/entries/${indexPath(n, width)}`;
}

/** The position a tile path names, with `entries` set for a bundle; throws TlogError('malformed') on any other text. */
export function parseTilePath(path: string): TilePosition & { entries: boolean } {
  const match = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/.exec(path);
  if (!match) throw new TlogError('malformed', 'tile path: expected tile/<L>/<N>[.p/<W>]');
  const [, levelText = '', indexText = '', widthText] = match;
  const entries = levelText === 'entries';
  const level = entries ? 0 : Number(levelText);
  const groups = indexText.split('/');
  // One index, one path: no leading x000 group, which would name the same tile twice.
  if (groups.length > 1 && groups[0] === 'x000') throw new TlogError('malformed', 'tile path: index not canonical');
  const n = Number(groups.map((g) => g.replace('x', '')).join(''));
  const width = widthText === undefined ? TILE_WIDTH : Number(widthText);
  const partialTooWide = widthText !== undefined && width >= TILE_WIDTH;
  if (level > MAX_TILE_LEVEL || !Number.isSafeInteger(n) || partialTooWide) {
    throw new TlogError('malformed', 'tile path: level, index or width out of range');
  }
  return { level, n, width, entries };
}

/** Width of tile `n` at tile level `level` in a tree of `size` leaves: 256 if full, 0 if it has no hash yet. */
export function tileWidthAt(level: number, n: number, size: number): number {
  checkSize(size, 'tree size');
  const hashes = Math.floor(size / TILE_WIDTH ** level);
  return Math.max(0, Math.min(TILE_WIDTH, hashes - n * TILE_WIDTH));
}

/** The bytes of tile (level, n) of width `width`: its stored hashes of tree level 8·level, in order. */
export async function tileOf(level: number, n: number, width: number, read: HashReader): Promise<Uint8Array> {
  tilePath(level, n, width); // validates the position
  const hashes: Uint8Array[] = [];
  for (let i = 0; i < width; i++) hashes.push(await read(level * TILE_HEIGHT, n * TILE_WIDTH + i));
  return concat(...hashes);
}

/**
 * A HashReader over the tiles of a tree of `size` leaves, fetched by path and kept: the hashes between tile levels
 * are computed from the tile below. Only hashes of complete subtrees within `size` can be read. A tile whose length
 * is not its width × 32 is refused; wrong hashes surface as proofs that do not verify against the checkpoint.
 */
export function tileReader(fetch: (path: string) => Promise<Uint8Array>, size: number): HashReader {
  checkSize(size, 'tree size');
  const tiles = new Map<string, Promise<Uint8Array>>();
  const tile = (level: number, n: number, width: number): Promise<Uint8Array> => {
    const path = tilePath(level, n, width);
    let bytes = tiles.get(path);
    if (!bytes) {
      bytes = fetchTile(fetch, path, width);
      tiles.set(path, bytes);
      bytes.catch(() => tiles.delete(path)); // a failed fetch may be retried
    }
    return bytes;
  };
  return async (level, n) => {
    checkSize(level, 'hash level');
    checkSize(n, 'hash index');
    const tileLevel = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level % TILE_HEIGHT); // hashes of the tile's level under this one
    const first = n * span;
    const t = Math.floor(first / TILE_WIDTH);
    const width = tileWidthAt(tileLevel, t, size);
    const start = first - t * TILE_WIDTH;
    if (start + span > width) throw new TlogError('missing_hash', `hash ${level}/${n} is not complete at size ${size}`);
    const bytes = await tile(tileLevel, t, width);
    return subtreeOf(bytes, start, span);
  };
}

/** An entry bundle: each entry as a big-endian uint16 length and its bytes (1 to 256 entries of ≤ 65535 bytes). */
export function entryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length === 0 || entries.length > TILE_WIDTH) {
    throw new TlogError('out_of_range', `entry bundle: 1 to ${TILE_WIDTH} entries`);
  }
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.length > MAX_ENTRY_SIZE) throw new TlogError('out_of_range', 'entry bundle: an entry over 65535 bytes');
    parts.push(Uint8Array.of(entry.length >> 8, entry.length & 0xff), entry);
  }
  return concat(...parts);
}

/** The entries of a bundle; throws TlogError('malformed') on a truncated entry or more than 256. */
export function parseEntryBundle(bytes: Uint8Array): Uint8Array[] {
  const entries: Uint8Array[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 2 > bytes.length) throw new TlogError('malformed', 'entry bundle: truncated length');
    const length = ((bytes[at] as number) << 8) | (bytes[at + 1] as number);
    if (at + 2 + length > bytes.length) throw new TlogError('malformed', 'entry bundle: truncated entry');
    entries.push(bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (entries.length === 0 || entries.length > TILE_WIDTH) {
    throw new TlogError('malformed', `entry bundle: 1 to ${TILE_WIDTH} entries`);
  }
  return entries;
}

function indexPath(n: number, width: number): string {
  checkSize(n, 'tile index');
  if (!Number.isInteger(width) || width < 1 || width > TILE_WIDTH) {
    throw new TlogError('out_of_range', `tile width: expected an integer 1..${TILE_WIDTH}`);
  }
  const digits = String(n).padStart(3 * Math.ceil(String(n).length / 3), '0');
  const groups = digits.match(/.{3}/g) as string[];
  const index = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  return width === TILE_WIDTH ? index : `${index}.p/${width}`;
}

async function fetchTile(fetch: (path: string) => Promise<Uint8Array>, path: string, width: number) {
  const bytes = await fetch(path);
  if (!(bytes instanceof Uint8Array) || bytes.length !== width * HASH_SIZE) {
    throw new TlogError('malformed', `tile ${path}: expected ${width * HASH_SIZE} bytes`);
  }
  return bytes;
}

// The root over `span` (a power of two) consecutive hashes of a tile from `start`, paired level by level.
function subtreeOf(tile: Uint8Array, start: number, span: number): Uint8Array {
  let level: Uint8Array[] = [];
  for (let i = 0; i < span; i++) level.push(tile.slice((start + i) * HASH_SIZE, (start + i + 1) * HASH_SIZE));
  while (level.length > 1) {
    const up: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    level = up;
  }
  return level[0] as Uint8Array;
}
