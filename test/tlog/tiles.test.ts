// C2SP tlog-tiles: paths exactly as the spec writes them, entry bundles, and a client that reads only tiles (served
// by tileOf over an in-memory log's stored hashes) computing the same roots and proofs as a reader of the full tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/core/bytes.ts';
import { consistencyProof, inclusionProof, treeHash, verifyInclusion } from '../../src/core/tlog/merkle.ts';
import {
  entriesPath,
  entryBundle,
  parseEntryBundle,
  parseTilePath,
  TILE_HEIGHT,
  TILE_WIDTH,
  tileOf,
  tilePath,
  tileReader,
  tileWidthAt,
} from '../../src/core/tlog/tiles.ts';
import { MemoryTree } from './memory-tree.ts';

describe('tile paths', () => {
  it.each([
    [0, 0, 256, 'tile/0/000'],
    [0, 1234, 5, 'tile/0/x001/234.p/5'],
    [1, 1234067, 256, 'tile/1/x001/x234/067'],
    [2, 999, 1, 'tile/2/999.p/1'],
    [63, 1000, 255, 'tile/63/x001/000.p/255'],
  ])('tilePath(%i, %i, %i) = %s and parses back', (level, n, width, path) => {
    expect(tilePath(level, n, width)).toBe(path);
    expect(parseTilePath(path)).toEqual({ level, n, width, entries: false });
  });

  it('writes and parses entry bundle paths', () => {
    expect(entriesPath(1234067, 256)).toBe('tile/entries/x001/x234/067');
    expect(entriesPath(0, 17)).toBe('tile/entries/000.p/17');
    expect(parseTilePath('tile/entries/x001/234.p/3')).toEqual({ level: 0, n: 1234, width: 3, entries: true });
  });

  it.each([
    'tile/0/0',
    'tile/0/1234',
    'tile/00/000',
    'tile/64/000',
    'tile/0/x000/001',
    'tile/0/001/x234',
    'tile/0/000.p/0',
    'tile/0/000.p/256',
    'tile/0/000.p/05',
    'tile/0/000.p/',
    '/tile/0/000',
    'tile/0/000/',
    'tile/-1/000',
    'tile/0/x9007199/x254/x740/993',
  ])('refuses %s', (path) => {
    expect(() => parseTilePath(path)).toThrow(expect.objectContaining({ code: 'malformed' }));
  });

  it('refuses positions outside the format', () => {
    for (const [level, n, width] of [
      [64, 0, 256],
      [0, -1, 256],
      [0, 0, 0],
      [0, 0, 257],
      [0, 1.5, 256],
    ] as const) {
      expect(() => tilePath(level, n, width)).toThrow(expect.objectContaining({ code: 'out_of_range' }));
    }
  });

  it('counts tile widths as the spec does for a tree of 70,000 leaves', () => {
    expect(tileWidthAt(0, 272, 70_000)).toBe(256);
    expect(tileWidthAt(0, 273, 70_000)).toBe(112);
    expect(tileWidthAt(0, 274, 70_000)).toBe(0);
    expect(tileWidthAt(1, 0, 70_000)).toBe(256);
    expect(tileWidthAt(1, 1, 70_000)).toBe(17);
    expect(tileWidthAt(2, 0, 70_000)).toBe(1);
    expect(tileWidthAt(1, 0, 256)).toBe(1);
  });
});

describe('entry bundles', () => {
  it('round-trips entries as uint16 length-prefixed bytes', () => {
    const entries = [new Uint8Array(0), Uint8Array.of(1, 2, 3), new Uint8Array(0xffff).fill(9)];
    const bundle = entryBundle(entries);
    expect([...bundle.subarray(0, 5)]).toEqual([0, 0, 0, 3, 1]);
    expect(parseEntryBundle(bundle).map(toHex)).toEqual(entries.map(toHex)); // hex: deep equality is slow on 64 kB
  });

  it('refuses truncated bundles, empty ones, over 256 entries and entries over 65535 bytes', () => {
    const bundle = entryBundle([Uint8Array.of(1, 2, 3)]);
    expect(() => parseEntryBundle(bundle.subarray(0, 4))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseEntryBundle(Uint8Array.of(0))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseEntryBundle(new Uint8Array(0))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => parseEntryBundle(new Uint8Array(2 * 257))).toThrow(expect.objectContaining({ code: 'malformed' }));
    expect(() => entryBundle([new Uint8Array(0x10000)])).toThrow(expect.objectContaining({ code: 'out_of_range' }));
    expect(() => entryBundle([])).toThrow(expect.objectContaining({ code: 'out_of_range' }));
  });
});

// A tile server over the in-memory log: it answers exactly the tiles a tree of `size` has, and counts fetches.
function serve(tree: MemoryTree, size: number) {
  const fetched: string[] = [];
  const fetch = async (path: string): Promise<Uint8Array> => {
    fetched.push(path);
    const { level, n, width, entries } = parseTilePath(path);
    if (entries || tileWidthAt(level, n, size) !== width) throw new Error(`no tile ${path} at size ${size}`);
    return tileOf(level, n, width, tree.read);
  };
  return { fetch, fetched };
}

describe('tile reader', () => {
  it('a client reading only tiles gets the roots and proofs of the full tree (sizes up to 70,000)', async () => {
    const tree = await MemoryTree.of(70_000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70_000 }).chain((size) => fc.tuple(fc.constant(size), fc.nat(size - 1))),
        fc.nat(),
        async ([size, index], seed) => {
          const { fetch } = serve(tree, size);
          const read = tileReader(fetch, size);
          const root = await treeHash(size, read);
          expect(toHex(root)).toBe(toHex(await treeHash(size, tree.read)));
          const proof = await inclusionProof(index, size, read);
          expect(proof.map(toHex)).toEqual((await inclusionProof(index, size, tree.read)).map(toHex));
          verifyInclusion(await read(0, index), index, size, proof, root);
          const size1 = 1 + (seed % size);
          const consistency = await consistencyProof(size1, size, read);
          expect(consistency.map(toHex)).toEqual((await consistencyProof(size1, size, tree.read)).map(toHex));
        },
      ),
      { numRuns: 40 },
    );
  }, 180_000); // a 70,000-leaf log built through appends, on a machine shared with other work

  it('fetches each tile once, in parallel or not', async () => {
    const tree = await MemoryTree.of(1000);
    const { fetch, fetched } = serve(tree, 1000);
    const read = tileReader(fetch, 1000);
    await Promise.all([treeHash(1000, read), inclusionProof(5, 1000, read), inclusionProof(999, 1000, read)]);
    expect(new Set(fetched).size).toBe(fetched.length);
    // 1000 = 3·256 + 232: the root needs the level-1 tile and the partial level-0 one; leaf 5's path its own tile.
    expect(fetched.sort()).toEqual(['tile/0/000', 'tile/0/003.p/232', 'tile/1/000.p/3']);
  });

  it('refuses a hash the tree of that size does not complete, and a tile of the wrong length', async () => {
    const tree = await MemoryTree.of(300);
    const read = tileReader(serve(tree, 300).fetch, 300);
    await expect(Promise.resolve().then(() => read(0, 300))).rejects.toMatchObject({ code: 'missing_hash' });
    await expect(Promise.resolve().then(() => read(8, 1))).rejects.toMatchObject({ code: 'missing_hash' });
    const short = tileReader(async () => new Uint8Array(31), 300);
    await expect(Promise.resolve().then(() => short(0, 0))).rejects.toMatchObject({ code: 'malformed' });
  });

  it('serves a tile as its stored hashes in order', async () => {
    const tree = await MemoryTree.of(TILE_WIDTH + 3);
    const tile = await tileOf(0, 1, 3, tree.read);
    expect(tile).toHaveLength(3 * 32);
    expect(toHex(tile.subarray(64))).toBe(toHex(await tree.read(0, TILE_WIDTH + 2)));
    const level1 = await tileOf(1, 0, 1, tree.read);
    expect(toHex(level1)).toBe(toHex(await tree.read(TILE_HEIGHT, 0)));
  });
});
