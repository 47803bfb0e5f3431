// Order blocks written into the node's blockstore directory (storage/block-files.ts): in blockstore-fs's layout, so
// the FsBlockstore Helia reads finds every one of them; a shard directory made only when missing; a temporary file
// left by a crash overwritten; a failure reported once the rest of the batch is written.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dagCbor from '@ipld/dag-cbor';
import { FsBlockstore } from 'blockstore-fs';
import { NextToLast } from 'blockstore-fs/sharding';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBlockFiles } from '../../src/node/storage/block-files.ts';
import type { QueuedBlock } from '../../src/node/storage/block-queue.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-block-files-');
});

afterAll(async () => {
  await tmp?.cleanup();
});

async function block(n: number): Promise<QueuedBlock> {
  const bytes = dagCbor.encode({ n, pad: 'x'.repeat(n % 200) });
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes };
}

async function read(store: FsBlockstore, cid: CID): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of store.get(cid)) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('writeBlockFiles', () => {
  it('writes blocks the FsBlockstore reads back, shard directories made as needed', async () => {
    const root = join(tmp.dir, 'blocks');
    const store = new FsBlockstore(root);
    await store.open();
    const blocks = await Promise.all(Array.from({ length: 40 }, (_, i) => block(i)));
    await writeBlockFiles(root, blocks);
    for (const b of blocks) {
      expect(await store.has(b.cid)).toBe(true);
      expect(await read(store, b.cid)).toEqual(Buffer.from(b.bytes));
    }
    // Nothing but shard directories and block files: no temporary file stays behind.
    for (const shard of await readdir(root)) {
      for (const name of await readdir(join(root, shard))) expect(name).toMatch(/^[A-Z2-7]+\.data$/);
    }
    // A second batch into directories that exist, one block written again: same bytes.
    const more = [...(await Promise.all([40, 41, 42].map(block))), blocks[0]!];
    await writeBlockFiles(root, more);
    for (const b of more) expect(await read(store, b.cid)).toEqual(Buffer.from(b.bytes));
    await store.close();
  });

  it("overwrites a temporary file a crash left (steno's name) and reports a block it cannot write", async () => {
    const root = join(tmp.dir, 'torn');
    const store = new FsBlockstore(root);
    await store.open();
    const name = (x: QueuedBlock) => new NextToLast().encode(x.cid); // blockstore-fs's default layout
    const b = await block(500);
    let c = await block(501);
    for (let n = 502; name(c).dir === name(b).dir; n++) c = await block(n);
    const { dir, file } = name(b);
    await mkdir(join(root, dir), { recursive: true });
    await writeFile(join(root, dir, `.${file}.tmp`), 'half a blo');
    // c's shard is taken by a file where a directory should be: its write fails, b's is still written.
    await writeFile(join(root, name(c).dir), 'not a directory');
    await expect(writeBlockFiles(root, [c, b])).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await read(store, b.cid)).toEqual(Buffer.from(b.bytes));
    expect(await readdir(join(root, dir))).not.toContain(`.${file}.tmp`);
    await store.close();
  });
});
