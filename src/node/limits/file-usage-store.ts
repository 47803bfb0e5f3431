/**
 * The usage store of a single node (usage-store.ts): the counts in memory, where `reserve` checks and adds in one
 * synchronous step, and a snapshot in `<home>/usage/usage.json`.
 *
 * The order files and the write-ahead record are the truth the counts are made of, so the snapshot is only trusted
 * when the node that wrote it stopped cleanly: it is written with `clean: false` when the store opens and with
 * `clean: true` by `close`. A node killed (kill -9, power loss) leaves `clean: false`, or no file at all, and the
 * next start counts again from the committed orders and the recorded order steps (order-admission.ts `heldUsage`):
 * each holds one reservation (usage-store.ts), whatever the moment of the crash, and a recorded step finished
 * later is not counted again. (The start reads every order file anyway, to put their envelopes back into Helia.)
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readIfExists, sweepTemps, writeDurable } from '../fsutil.ts';
import type { UsageStore } from './usage-store.ts';

/** One identity's usage, as counted from one committed order. */
export interface CountedUsage {
  readonly identity: string;
  readonly orders: number;
  readonly bytes: number;
}

interface Snapshot {
  version: 1;
  clean: boolean;
  usage: Record<string, [number, number]>;
}

const FILE = 'usage.json';

function parseSnapshot(text: string | undefined): Snapshot | undefined {
  if (text === undefined) return undefined;
  try {
    const s = JSON.parse(text) as Snapshot;
    return s.version === 1 && s.clean === true && typeof s.usage === 'object' && s.usage !== null ? s : undefined;
  } catch {
    return undefined;
  }
}

export class FileUsageStore implements UsageStore {
  readonly #file: string;
  readonly #used = new Map<string, { orders: number; bytes: number }>();

  private constructor(dir: string) {
    this.#file = join(dir, FILE);
  }

  /**
   * Opens the store in `dir`: the clean snapshot, or else the usage `committed()` counts from the order files.
   * `rebuilt` says which happened.
   */
  static async open(
    dir: string,
    committed: () => AsyncIterable<CountedUsage>,
  ): Promise<{ store: FileUsageStore; rebuilt: boolean }> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await sweepTemps(dir);
    const store = new FileUsageStore(dir);
    const snapshot = parseSnapshot((await readIfExists(store.#file))?.toString('utf8'));
    if (snapshot) {
      for (const [identity, [orders, bytes]] of Object.entries(snapshot.usage)) store.#add(identity, orders, bytes);
    } else {
      for await (const u of committed()) store.#add(u.identity, u.orders, u.bytes);
    }
    await store.#save(false); // from now on a crash makes the next start count again
    return { store, rebuilt: snapshot === undefined };
  }

  #add(identity: string, orders: number, bytes: number): void {
    const u = this.#used.get(identity) ?? { orders: 0, bytes: 0 };
    u.orders = Math.max(0, u.orders + orders);
    u.bytes = Math.max(0, u.bytes + bytes);
    if (u.orders === 0 && u.bytes === 0) this.#used.delete(identity);
    else this.#used.set(identity, u);
  }

  async reserve(
    identity: string,
    orders: number,
    bytes: number,
    limits: { orders: number; bytes: number },
  ): Promise<{ ok: true } | { ok: false; limit: 'orders' | 'bytes' }> {
    const u = this.#used.get(identity) ?? { orders: 0, bytes: 0 };
    if (limits.orders > 0 && orders > 0 && u.orders + orders > limits.orders) return { ok: false, limit: 'orders' };
    if (limits.bytes > 0 && bytes > 0 && u.bytes + bytes > limits.bytes) return { ok: false, limit: 'bytes' };
    this.#add(identity, orders, bytes);
    return { ok: true };
  }

  async release(identity: string, orders: number, bytes: number): Promise<void> {
    this.#add(identity, -orders, -bytes);
  }

  async usage(identity: string): Promise<{ orders: number; bytes: number }> {
    const u = this.#used.get(identity);
    return { orders: u?.orders ?? 0, bytes: u?.bytes ?? 0 };
  }

  async #save(clean: boolean): Promise<void> {
    const usage: Snapshot['usage'] = {};
    for (const [identity, u] of this.#used) usage[identity] = [u.orders, u.bytes];
    const snapshot: Snapshot = { version: 1, clean, usage };
    await writeDurable(this.#file, JSON.stringify(snapshot));
  }

  /** Writes the counts as a clean snapshot (the next start trusts them instead of counting again). */
  close(): Promise<void> {
    return this.#save(true);
  }
}
