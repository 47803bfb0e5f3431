/**
 * Durable order records: one JSON file per order under `<home>/orders/`,
 * holding the record (plugins/types.ts OrderRecord), a copy of every
 * envelope of its chain, and which reply the node committed to each request
 * it accepted. A file is written (temporary file, fsync, rename, fsync of
 * the directory) before the node's HTTP reply leaves, so an accepted order
 * survives kill -9 and power loss; Helia holds the same envelopes for the
 * network and is refilled from here if it lost any (see `eachEnvelope`).
 *
 * Changes to one order are serialized (`withOrder`), so two concurrent
 * requests on the same order cannot both commit.
 * @module
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';
import type { OrderRecord } from '../plugins/types.ts';

/** What is on disk for one order. */
export interface StoredOrder {
  readonly record: OrderRecord;
  /** Envelope CID -> DAG-CBOR bytes, for every CID in record.history. */
  readonly envelopes: Readonly<Record<string, Uint8Array>>;
  /** Request envelope CID -> the reply envelope CID the node committed to it. */
  readonly replies: Readonly<Record<string, string>>;
}

interface StoredJson {
  version: 1;
  record: OrderRecord;
  envelopes: Record<string, string>;
  replies: Record<string, string>;
}

/** True for the canonical string of a CIDv1 (what order ids and file names must be). */
export function isCanonicalCid(s: string): boolean {
  if (s.length < 8 || s.length > 128) return false;
  try {
    const cid = CID.parse(s);
    return cid.version === 1 && cid.toString() === s;
  } catch {
    return false;
  }
}

function toJson(o: StoredOrder): string {
  const envelopes: Record<string, string> = {};
  for (const [cid, bytes] of Object.entries(o.envelopes)) envelopes[cid] = toBase64(bytes);
  const doc: StoredJson = { version: 1, record: o.record, envelopes, replies: { ...o.replies } };
  return JSON.stringify(doc);
}

function fromJson(text: string): StoredOrder {
  const doc = JSON.parse(text) as StoredJson;
  if (doc.version !== 1) throw new Error('orders: unknown record version');
  const envelopes: Record<string, Uint8Array> = {};
  for (const [cid, b64] of Object.entries(doc.envelopes)) envelopes[cid] = fromBase64(b64, `orders: envelope ${cid}`);
  return { record: doc.record, envelopes, replies: doc.replies };
}

/** Orders kept in memory (the rest are read from disk when asked for). */
const CACHE_SIZE = 2000;

/**
 * 30 bits of an order id, from the end of its text (a CID's digest, in base32: random), for the filter of ids on
 * disk: a number per order, not a string, so that a million orders cost the filter some 20 MB.
 */
function idBits(id: string): number {
  let bits = 0;
  for (let i = Math.max(0, id.length - 6); i < id.length; i++) bits = (bits << 5) | (id.charCodeAt(i) & 31);
  return bits;
}

export class OrderStore {
  readonly dir: string;
  readonly #cache = new Map<string, StoredOrder>();
  readonly #locks = new Map<string, Promise<unknown>>();
  /**
   * The bits (idBits) of every order file: those on disk when the store opened and those written since. The store is
   * its home's only writer (one `dta serve` a home), so an id whose bits are absent has no file, and a new order's
   * lookup costs no failed open (a system call and an error built for nothing); present bits are read from disk.
   */
  readonly #onDisk = new Set<number>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async open(dir: string): Promise<OrderStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    const store = new OrderStore(dir);
    for (const id of await store.ids()) store.#onDisk.add(idBits(id));
    return store;
  }

  #file(id: string): string {
    if (!isCanonicalCid(id)) throw new TypeError('orders: bad order id');
    return join(this.dir, `${id}.json`);
  }

  /** The stored order, or undefined. */
  async get(id: string): Promise<StoredOrder | undefined> {
    if (!isCanonicalCid(id)) return undefined;
    const cached = this.#cache.get(id);
    if (cached) return cached;
    if (!this.#onDisk.has(idBits(id))) return undefined;
    const text = await readIfExists(this.#file(id));
    if (!text) return undefined;
    const order = fromJson(text.toString('utf8'));
    this.#remember(order);
    return order;
  }

  /** Writes the order durably (replacing the previous version of the file). */
  async put(order: StoredOrder): Promise<void> {
    this.#onDisk.add(idBits(order.record.id)); // before the write: a file that may exist must never be missed
    await writeDurable(this.#file(order.record.id), toJson(order));
    this.#remember(order);
  }

  #remember(order: StoredOrder): void {
    this.#cache.delete(order.record.id);
    this.#cache.set(order.record.id, order);
    if (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
  }

  /** Runs `fn` with exclusive access to order `id` (in this process). */
  async withOrder<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const settled = run.catch(() => undefined);
    this.#locks.set(id, settled);
    try {
      return await run;
    } finally {
      if (this.#locks.get(id) === settled) this.#locks.delete(id);
    }
  }

  /** Every order id on disk. */
  async ids(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -5))
      .filter(isCanonicalCid)
      .sort();
  }

  /** Every envelope of every order (to put back into Helia at start). */
  async *eachEnvelope(): AsyncGenerator<{ cid: string; bytes: Uint8Array }> {
    for (const id of await this.ids()) {
      const order = await this.get(id);
      if (!order) continue;
      for (const [cid, bytes] of Object.entries(order.envelopes)) yield { cid, bytes };
    }
  }
}
