/**
 * The blockstore Helia sees when the node queues order blocks (block-queue.ts): the one on disk, plus the
 * queued blocks, which `has` and `get` find before they reach the disk. So bitswap answers a peer that
 * asks for an order's block right after its reply from the queue, with no wait and no announcement to
 * miss, and Helia's own puts (which skip a block `has` finds) still write to the disk.
 * @module
 */
import type { AbortOptions } from 'abort-error';
import type { Blockstore, InputPair, Pair } from 'interface-blockstore';
import type { CID } from 'multiformats/cid';
import type { BlockQueue } from './block-queue.ts';

export class QueuedBlockstore implements Blockstore {
  readonly #disk: Blockstore;
  readonly #queue: BlockQueue;

  constructor(disk: Blockstore, queue: BlockQueue) {
    this.#disk = disk;
    this.#queue = queue;
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    return this.#queue.get(cid) !== undefined || this.#disk.has(cid, options);
  }

  async *get(cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    const queued = this.#queue.get(cid);
    if (queued) yield queued;
    else yield* this.#disk.get(cid, options);
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) };
  }

  async put(cid: CID, bytes: InputPair['bytes'], options?: AbortOptions): Promise<CID> {
    return await this.#disk.put(cid, bytes, options);
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    yield* this.#disk.putMany(source, options);
  }

  async delete(cid: CID, options?: AbortOptions): Promise<void> {
    await this.#disk.delete(cid, options);
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    yield* this.#disk.deleteMany(source, options);
  }

  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    yield* this.#disk.getAll(options);
  }
}
