// The queue that carries committed order blocks into Helia (storage/block-queue.ts): queued blocks are readable
// until written, writes come in batches, a full queue makes `add` wait, and a batch that fails is reported and
// dropped (the order store puts it back at the next start).
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { BlockQueue, type QueuedBlock } from '../../src/node/storage/block-queue.ts';

async function block(n: number): Promise<QueuedBlock> {
  const bytes = dagCbor.encode({ n });
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes };
}

async function blocks(count: number): Promise<QueuedBlock[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => block(i)));
}

describe('BlockQueue', () => {
  it('serves queued blocks until their batch is written, in batches of at most `batch`', async () => {
    const written: QueuedBlock[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new BlockQueue({
      batch: 3,
      write: async (batch) => {
        await gate;
        written.push([...batch]);
      },
    });
    const all = await blocks(7);
    await queue.add(all);
    expect(all.map((b) => queue.get(b.cid) !== undefined)).toEqual(all.map(() => true));
    expect(queue.get(all[0]!.cid)).toEqual(all[0]!.bytes);
    release();
    await queue.drain();
    expect(written.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(written.flat().map((b) => b.cid.toString())).toEqual(all.map((b) => b.cid.toString()));
    expect(all.some((b) => queue.get(b.cid) !== undefined)).toBe(false);
  });

  it('makes `add` wait while the queue is full', async () => {
    let release!: () => void;
    let gate = new Promise<void>((r) => (release = r));
    const queue = new BlockQueue({ limit: 2, batch: 2, write: () => gate });
    const [a, b, c] = await blocks(3);
    await queue.add([a!, b!]);
    let added = false;
    const third = queue.add([c!]).then(() => (added = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(added).toBe(false);
    const first = release;
    gate = Promise.resolve();
    first();
    await third;
    expect(added).toBe(true);
    await queue.drain();
  });

  it('reports a batch it could not write and drops it', async () => {
    const reports: Array<[string, number]> = [];
    const queue = new BlockQueue({
      write: async () => {
        throw new Error('disk full');
      },
      onError: (err, n) => reports.push([(err as Error).message, n]),
    });
    const two = await blocks(2);
    await queue.add(two);
    await queue.drain();
    expect(reports).toEqual([['disk full', 2]]);
    expect(queue.get(two[0]!.cid)).toBeUndefined();
  });
});
