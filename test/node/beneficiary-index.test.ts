// The file index of orders by beneficiary (storage/beneficiary-index.ts), whatever order its orders arrive in:
// newest first (a backlog, prepared requests sent in reverse), shuffled, or with equal times, the pages list every
// order once, newest first (created, then id, descending), and so does the index read back from its file.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRecord } from '../../src/node/plugins/types.ts';
import type { OrderPosition, OrderRecords } from '../../src/node/storage/backend.ts';
import { FileBeneficiaryIndex } from '../../src/node/storage/beneficiary-index.ts';
import type { StoredOrder } from '../../src/node/storage/orders.ts';
import { tempDir } from './harness.ts';

// Canonical CIDv1 texts (base32, raw codec, identity-free sha2-256 digests made up for the index).
const BOB = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';
const CAROL = 'bafkreie5cvv4h45feyyrf7v3dmmp2ti4tzmjwrfj5ck4dkf3a6wdqpbgbu';
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A distinct canonical-looking CID text per n (the index checks isCanonicalCid). */
function idOf(n: number): string {
  let tail = '';
  for (let x = n, i = 0; i < 6; i++, x = Math.floor(x / 32)) tail = ALPHABET[x % 32] + tail;
  return `bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxq${tail.slice(1)}`;
}

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-beneficiary-index-');
});

afterAll(async () => {
  await tmp?.cleanup();
});

/** Orders in memory: the index reads records through this interface only. */
function memoryOrders(records: Map<string, OrderRecord>): OrderRecords {
  return {
    get: async (id) => {
      const record = records.get(id);
      return record ? ({ record, envelopes: {}, replies: {} } satisfies StoredOrder) : undefined;
    },
    put: async (order) => void records.set(order.record.id, order.record),
    withOrder: (_id, fn) => fn(),
    ids: async () => [...records.keys()].sort(),
    eachEnvelope: async function* () {},
  };
}

function record(n: number, created: number, beneficiary = BOB): OrderRecord {
  const id = idOf(n);
  return { id, plugin: 'safeguard', principal: CAROL, beneficiary, head: id, history: [id], status: 'open', created };
}

async function allPages(index: FileBeneficiaryIndex, beneficiary: string): Promise<string[]> {
  const out: string[] = [];
  let after: OrderPosition | undefined;
  for (;;) {
    const page = await index.page(beneficiary, 97, after);
    if (page.length === 0) return out;
    out.push(...page.map((r) => r.id));
    const last = page[page.length - 1]!;
    after = { created: last.created, id: last.id };
  }
}

describe('the beneficiary index', () => {
  it('lists every order once, newest first, in whatever order they were noted', async () => {
    const records = new Map<string, OrderRecord>();
    const all: OrderRecord[] = [];
    for (let n = 0; n < 3000; n++) all.push(record(n, 1_800_000_000_000 + Math.floor(n / 3))); // ties by threes
    for (let n = 3000; n < 3050; n++) all.push(record(n, 1_800_000_000_000 + n, CAROL)); // someone else's
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const shuffled = all.slice(1000).sort(() => random() - 0.5);
    const arrival = [...all.slice(0, 1000).reverse(), ...shuffled]; // newest first, then shuffled
    const path = join(tmp.dir, 'beneficiaries');
    const orders = memoryOrders(records);
    const index = await FileBeneficiaryIndex.open(path, orders);
    for (const r of arrival) {
      records.set(r.id, r);
      await index.note(r);
    }
    const expected = all
      .filter((r) => r.beneficiary === BOB)
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1))
      .map((r) => r.id);
    expect(await allPages(index, BOB)).toEqual(expected);
    await index.close();
    const reopened = await FileBeneficiaryIndex.open(path, orders); // read back from its lines
    expect(await allPages(reopened, BOB)).toEqual(expected);
    expect(await allPages(reopened, CAROL)).toHaveLength(50);
    await reopened.close();
  });
});
