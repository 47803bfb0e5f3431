/**
 * Writes order blocks into the node's own blockstore directory (block-queue.ts's batches), in blockstore-fs's
 * layout (`<blocks>/<last two characters>/<base32upper multihash>.data`, NextToLast sharding) so that the
 * FsBlockstore Helia reads finds them, but with fewer calls per block: blockstore-fs makes the shard directory
 * before every write (a mkdir each) and goes through steno; here a block is written to its temporary name and
 * renamed into place, and the directory is made only when that open says it is missing (issue 13, throughput).
 * Like blockstore-fs, no fsync: the order record is the durable copy and the start puts back what is missing.
 * A crash leaves at most a temporary file (`.<name>.tmp`, steno's name), overwritten by the next write of it.
 * @module
 */
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { NextToLast } from 'blockstore-fs/sharding';
import type { QueuedBlock } from './block-queue.ts';

const layout = new NextToLast(); // blockstore-fs's default, which helia.ts's FsBlockstore uses

/** Writes at most this many blocks at once (blockstore-fs's putMany runs 50). */
const CONCURRENT = 16;

/** Opens `tmp` for writing, making its directory only when the open finds it missing. */
async function openTemp(tmp: string, dir: string) {
  try {
    return await open(tmp, 'w', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return open(tmp, 'w', 0o600);
  }
}

async function writeBlock(root: string, { cid, bytes }: QueuedBlock): Promise<void> {
  const { dir, file } = layout.encode(cid);
  const shard = join(root, dir);
  const tmp = join(shard, `.${file}.tmp`);
  const fh = await openTemp(tmp, shard);
  try {
    await fh.writeFile(bytes);
  } finally {
    await fh.close();
  }
  await rename(tmp, join(shard, file));
}

/** Writes `blocks` under `root` (the FsBlockstore's path); rejects with the first failure once all have settled. */
export async function writeBlockFiles(root: string, blocks: readonly QueuedBlock[]): Promise<void> {
  let failure: unknown;
  for (let i = 0; i < blocks.length; i += CONCURRENT) {
    const results = await Promise.allSettled(blocks.slice(i, i + CONCURRENT).map((b) => writeBlock(root, b)));
    for (const r of results) if (r.status === 'rejected') failure ??= r.reason;
  }
  if (failure !== undefined) throw failure;
}
