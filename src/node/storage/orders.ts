/**
 * Durable order records under `<home>/orders/`: each order's record (plugins/types.ts OrderRecord), a copy of every
 * envelope of its chain, and which reply the node committed to each request it accepted, as JSON. They are records
 * of one file, `orders.log` (keyed-log.ts), appended and fdatasynced before the node's HTTP reply leaves, so an
 * accepted order survives kill -9 and power loss; the orders committed while a flush runs share the next one
 * (issue 13, throughput: a file per order cost a temporary file, an fsync, a rename and a directory fsync each).
 * A home written by an earlier node, one `<id>.json` file per order, is moved into the log once when it opens.
 * Helia holds the same envelopes for the network and is refilled from here if it lost any (see `eachEnvelope`).
 *
 * Changes to one order are serialized (`withOrder`), so two concurrent
 * requests on the same order cannot both commit.
 * @module
 */
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { fromBase64, toBase64 } from '../../core/bytes.ts';
import { fsyncDir, readIfExists, sweepTemps } from '../fsutil.ts';
import type { OrderRecord } from '../plugins/types.ts';
import { KeyedLog, type KeyedLogOptions } from './keyed-log.ts';

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

/** An order from its record in the log (its JSON, UTF-8). */
function orderOf(bytes: Uint8Array): StoredOrder {
  return fromJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('utf8'));
}

/** Orders kept in memory (the rest are read from disk when asked for). */
const CACHE_SIZE = 2000;

/** The log of order records in the store's directory. */
const LOG = 'orders.log';
/** Order files of an earlier node moved into the log at once (they share its flushes). */
const MOVE_AT_ONCE = 256;

/**
 * The orders stored in `dir` (an order store's directory), read without opening the store: for tools and tests
 * looking at a home a node may be serving. None when there is no log.
 */
export async function storedOrders(dir: string): Promise<StoredOrder[]> {
  let entries: Map<string, Uint8Array>;
  try {
    entries = await KeyedLog.entriesIn(join(dir, LOG));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return [...entries.values()].map(orderOf);
}

export class OrderStore {
  readonly dir: string;
  readonly #log: KeyedLog;
  readonly #cache = new Map<string, StoredOrder>();
  readonly #locks = new Map<string, Promise<unknown>>();

  private constructor(dir: string, log: KeyedLog) {
    this.dir = dir;
    this.#log = log;
  }

  static async open(dir: string, options: KeyedLogOptions = {}): Promise<OrderStore> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    const store = new OrderStore(dir, await KeyedLog.open(join(dir, LOG), options));
    await store.#moveFilesIn();
    return store;
  }

  /**
   * Moves the order files of an earlier node (`<id>.json`) into the log: all appended (durable), then unlinked and
   * the directory fsynced. A crash in between leaves files whose records are already in the log; the next open
   * appends them again, the same bytes (nothing was put meanwhile: the store was not open yet).
   */
  async #moveFilesIn(): Promise<void> {
    const files = (await readdir(this.dir)).filter((n) => n.endsWith('.json') && isCanonicalCid(n.slice(0, -5)));
    if (files.length === 0) return;
    for (let i = 0; i < files.length; i += MOVE_AT_ONCE) {
      const chunk = files.slice(i, i + MOVE_AT_ONCE);
      const texts = await Promise.all(chunk.map((name) => readIfExists(join(this.dir, name))));
      await Promise.all(chunk.map((name, j) => (texts[j] ? this.#log.put(name.slice(0, -5), texts[j]) : undefined)));
    }
    for (const name of files) await unlink(join(this.dir, name));
    await fsyncDir(this.dir);
  }

  /** The stored order, or undefined. */
  async get(id: string): Promise<StoredOrder | undefined> {
    if (!isCanonicalCid(id)) return undefined;
    const cached = this.#cache.get(id);
    if (cached) return cached;
    const bytes = await this.#log.get(id);
    if (!bytes) return undefined;
    const order = orderOf(bytes);
    this.#remember(order);
    return order;
  }

  /** Writes the order durably (its previous version superseded). */
  async put(order: StoredOrder): Promise<void> {
    if (!isCanonicalCid(order.record.id)) throw new TypeError('orders: bad order id');
    await this.#log.put(order.record.id, Buffer.from(toJson(order), 'utf8'));
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
    return this.#log.keys().sort();
  }

  /** Every envelope of every order (to put back into Helia at start). */
  async *eachEnvelope(): AsyncGenerator<{ cid: string; bytes: Uint8Array }> {
    for (const id of await this.ids()) {
      const order = await this.get(id);
      if (!order) continue;
      for (const [cid, bytes] of Object.entries(order.envelopes)) yield { cid, bytes };
    }
  }

  /** Waits for the writes under way, then closes the log. */
  close(): Promise<void> {
    return this.#log.close();
  }
}
