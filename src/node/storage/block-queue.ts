/**
 * Blocks on their way into Helia after their order was committed: an order's envelopes reach Helia's
 * blockstore moments after the order record (the durable copy, fsynced file or PostgreSQL row) and the
 * reply, in batches, off the reply's path. Until then this node reads them from here (`get`), and a peer
 * asking for one over bitswap is answered once its batch is written (Helia's put tells bitswap).
 *
 * Bounded: `add` waits while `limit` blocks are queued, so a slow disk slows commits instead of growing
 * memory. Nothing is lost when the process dies with blocks queued: the order store holds every envelope
 * and the node puts back at start whatever Helia lacks (OrderService.reconcile). A batch that fails to be
 * written is dropped for the same reason (`onError` reports it; the next start writes it again).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { failpoint } from '../failpoints.ts';

export interface QueuedBlock {
  readonly cid: CID;
  readonly bytes: Uint8Array;
}

export interface BlockQueueOptions {
  /** Writes one batch to Helia. */
  readonly write: (blocks: readonly QueuedBlock[]) => Promise<void>;
  /** Most blocks queued at once before `add` waits (default 4096). */
  readonly limit?: number;
  /** Most blocks per write (default 64). */
  readonly batch?: number;
  /** Told of a batch that could not be written (its blocks are dropped). */
  readonly onError?: (err: unknown, blocks: number) => void;
}

export class BlockQueue {
  readonly #o: BlockQueueOptions;
  /** Queued blocks by CID string, oldest first (a Map keeps insertion order). */
  readonly #queued = new Map<string, QueuedBlock>();
  #flushing: Promise<void> | undefined;
  /** Called whenever a batch is done: `add`s waiting for room re-check then. */
  #waiters: Array<() => void> = [];

  constructor(options: BlockQueueOptions) {
    this.#o = options;
  }

  /** Queues `blocks` for Helia; resolves at once unless the queue is full (then once there is room). */
  async add(blocks: readonly QueuedBlock[]): Promise<void> {
    const limit = this.#o.limit ?? 4096;
    while (this.#queued.size >= limit) await this.#batchDone();
    for (const b of blocks) this.#queued.set(b.cid.toString(), b);
    this.#flushing ??= this.#flush();
  }

  /** A queued block's bytes, or undefined when it is not (or no longer) queued. */
  get(cid: CID): Uint8Array | undefined {
    return this.#queued.get(cid.toString())?.bytes;
  }

  /** Resolves once every block queued so far is written (or dropped): before Helia stops, in tests. */
  async drain(): Promise<void> {
    while (this.#flushing) await this.#flushing;
  }

  #batchDone(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #oldest(n: number): QueuedBlock[] {
    const out: QueuedBlock[] = [];
    for (const b of this.#queued.values()) {
      if (out.length === n) break;
      out.push(b);
    }
    return out;
  }

  /** Writes batches until the queue is empty; one flush runs at a time. */
  async #flush(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve)); // one batch for the commits of this turn
    try {
      while (this.#queued.size > 0) {
        const batch = this.#oldest(this.#o.batch ?? 64);
        failpoint('blocks:before-write');
        try {
          await this.#o.write(batch);
        } catch (err) {
          this.#o.onError?.(err, batch.length);
        }
        for (const b of batch) {
          const key = b.cid.toString();
          if (this.#queued.get(key) === b) this.#queued.delete(key);
        }
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const w of waiters) w();
      }
    } finally {
      this.#flushing = undefined;
    }
  }
}
