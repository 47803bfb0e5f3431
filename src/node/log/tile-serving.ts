/**
 * Tiles and entry bundles for GET /v1/log/tile/...: any tile whose hashes are all complete within the latest
 * checkpoint, full or partial. A partial tile of width W names fixed bytes (the first W hashes of its full tile,
 * which never change), so a client still holding an older checkpoint reads the narrower tile it asks for.
 * @module
 */
import { TlogError } from '../../core/tlog/errors.ts';
import type { HashReader } from '../../core/tlog/merkle.ts';
import { entryBundle, parseTilePath, TILE_WIDTH, tileOf, tileWidthAt } from '../../core/tlog/tiles.ts';

/** The bytes at `path` in a log of `size` signed leaves; undefined for a path that is not a tile or lies beyond. */
export async function readTile(
  path: string,
  size: number,
  read: HashReader,
  entries: readonly Uint8Array[],
): Promise<Uint8Array | undefined> {
  let at: ReturnType<typeof parseTilePath>;
  try {
    at = parseTilePath(path);
  } catch (err) {
    if (err instanceof TlogError) return undefined;
    throw err;
  }
  if (at.width > tileWidthAt(at.level, at.n, size)) return undefined;
  if (!at.entries) return tileOf(at.level, at.n, at.width, read);
  const first = at.n * TILE_WIDTH;
  return entryBundle(entries.slice(first, first + at.width));
}
