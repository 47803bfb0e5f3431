/**
 * The orders naming each identity as beneficiary, on files (backend.ts BeneficiaryOrders): one line per order,
 * `<created> <order id> <beneficiary>\n`, appended to `<home>/beneficiaries` as the order is first written, and
 * held in memory by beneficiary, oldest first. The order files stay the truth: a listing reads each order's
 * record (its status changes), and at start every order file without a line gets one, so a line lost to a
 * crash (written after its order, not fsynced on its own: the repair costs the order path nothing) or a
 * missing file is rebuilt before the node serves. A torn last line is skipped and closed with a newline.
 * @module
 */
import { type FileHandle, open } from 'node:fs/promises';
import { readIfExists } from '../fsutil.ts';
import type { OrderRecord } from '../plugins/types.ts';
import type { BeneficiaryOrders, OrderPosition, OrderRecords } from './backend.ts';
import { isCanonicalCid, type StoredOrder } from './orders.ts';

/** True when `a` comes after `b` in a newest-first list. */
function olderThan(a: OrderPosition, b: OrderPosition): boolean {
  return a.created < b.created || (a.created === b.created && a.id < b.id);
}

/** The position a line names, or undefined for a torn or foreign line. */
function parseLine(line: string): { position: OrderPosition; beneficiary: string } | undefined {
  const parts = line.split(' ');
  if (parts.length !== 3) return undefined;
  const [created, id, beneficiary] = parts as [string, string, string];
  if (!/^\d{1,15}$/.test(created) || !isCanonicalCid(id) || !isCanonicalCid(beneficiary)) return undefined;
  return { position: { created: Number(created), id }, beneficiary };
}

/**
 * Where `position` goes in `list` (oldest first): after the last entry when it is the newest (orders mostly arrive in
 * order), else found by bisection. A scan back from the end cost a comparison per newer order, so orders arriving
 * newest first (a client sending prepared requests in reverse, a backlog) made every insertion walk the whole list.
 */
function insertionPoint(list: readonly OrderPosition[], position: OrderPosition): number {
  let lo = 0;
  let hi = list.length;
  if (hi === 0 || !olderThan(position, list[hi - 1]!)) return hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (olderThan(position, list[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export class FileBeneficiaryIndex implements BeneficiaryOrders {
  readonly #orders: OrderRecords;
  readonly #file: FileHandle;
  /** Beneficiary -> its orders' positions, oldest first. */
  readonly #byBeneficiary = new Map<string, OrderPosition[]>();
  readonly #indexed = new Set<string>();

  private constructor(orders: OrderRecords, file: FileHandle) {
    this.#orders = orders;
    this.#file = file;
  }

  /** Reads the index at `path` and adds a line for every order of `orders` it lacks (all of them if absent). */
  static async open(path: string, orders: OrderRecords): Promise<FileBeneficiaryIndex> {
    const text = (await readIfExists(path))?.toString('utf8') ?? '';
    const index = new FileBeneficiaryIndex(orders, await open(path, 'a', 0o600));
    for (const line of text.split('\n')) {
      const entry = parseLine(line);
      if (entry) index.#remember(entry.beneficiary, entry.position);
    }
    if (text.length > 0 && !text.endsWith('\n')) await index.#file.write('\n'); // a torn tail stays one bad line
    if ((await index.#repair()) > 0) await index.#file.sync();
    return index;
  }

  /** Lines for the orders written before the index knew them; how many. */
  async #repair(): Promise<number> {
    let added = 0;
    for (const id of await this.#orders.ids()) {
      if (this.#indexed.has(id)) continue;
      const stored = await this.#orders.get(id);
      if (stored) {
        await this.note(stored.record);
        added++;
      }
    }
    return added;
  }

  /** Indexes an order the first time it is written (later writes of the same order change nothing here). */
  async note(record: OrderRecord): Promise<void> {
    if (this.#indexed.has(record.id)) return;
    this.#remember(record.beneficiary, { created: record.created, id: record.id });
    await this.#file.write(`${record.created} ${record.id} ${record.beneficiary}\n`);
  }

  #remember(beneficiary: string, position: OrderPosition): void {
    if (this.#indexed.has(position.id)) return;
    this.#indexed.add(position.id);
    const list = this.#byBeneficiary.get(beneficiary) ?? [];
    list.splice(insertionPoint(list, position), 0, position);
    this.#byBeneficiary.set(beneficiary, list);
  }

  async page(beneficiary: string, limit: number, after?: OrderPosition): Promise<OrderRecord[]> {
    const list = this.#byBeneficiary.get(beneficiary) ?? [];
    const out: OrderRecord[] = [];
    for (let i = list.length - 1; i >= 0 && out.length < limit; i--) {
      const position = list[i]!;
      if (after && !olderThan(position, after)) continue;
      const stored = await this.#orders.get(position.id);
      if (stored?.record.beneficiary === beneficiary) out.push(stored.record);
    }
    return out;
  }

  close(): Promise<void> {
    return this.#file.close();
  }
}

/** `orders` with `index` kept as they are written: an order's first durable write adds its line. */
export function indexedOrders(orders: OrderRecords, index: FileBeneficiaryIndex): OrderRecords {
  return {
    get: (id) => orders.get(id),
    async put(order: StoredOrder) {
      await orders.put(order);
      await index.note(order.record);
    },
    withOrder: (id, fn) => orders.withOrder(id, fn),
    ids: () => orders.ids(),
    eachEnvelope: () => orders.eachEnvelope(),
  };
}
