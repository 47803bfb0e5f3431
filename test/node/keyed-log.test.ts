// The order store's log (src/node/storage/keyed-log.ts) and its move from one file per order
// (src/node/storage/orders.ts): concurrent puts sharing flushes, the newest record of a key winning across reopens,
// a torn tail cut off, the rewrite that drops superseded records, and an earlier node's order files moved in once.
import { appendFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/core/bytes.ts';
import { KeyedLog } from '../../src/node/storage/keyed-log.ts';
import { OrderStore } from '../../src/node/storage/orders.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-keyed-log-');
});

afterAll(async () => {
  await tmp?.cleanup();
});

const text = (bytes: Uint8Array | undefined): string | undefined => bytes && Buffer.from(bytes).toString('utf8');
const value = (s: string): Uint8Array => Buffer.from(s, 'utf8');

describe('keyed log', () => {
  it('concurrent puts, over several turns: every one readable, the newest of a key wins, also after reopening', async () => {
    const file = join(tmp.dir, 'a.log');
    const log = await KeyedLog.open(file);
    const puts: Promise<void>[] = [];
    for (let turn = 0; turn < 4; turn++) {
      for (let i = 0; i < 20; i++) puts.push(log.put(`k${i}`, value(`v${turn}-${i}`.repeat(50))));
      await new Promise((resolve) => setImmediate(resolve)); // the turns' puts overlap the flushes
    }
    await Promise.all(puts);
    expect(text(await log.get('k7'))).toBe('v3-7'.repeat(50));
    expect(await log.get('missing')).toBeUndefined();
    await log.close();
    const reopened = await KeyedLog.open(file);
    expect(reopened.keys().sort()).toEqual(Array.from({ length: 20 }, (_, i) => `k${i}`).sort());
    for (let i = 0; i < 20; i++) expect(text(await reopened.get(`k${i}`))).toBe(`v3-${i}`.repeat(50));
    await reopened.close();
  });

  it('cuts a torn tail (a record cut short, then one whose bytes do not match its CRC) and appends after it', async () => {
    const file = join(tmp.dir, 'torn.log');
    const log = await KeyedLog.open(file);
    await log.put('a', value('first'));
    await log.close();
    const whole = (await stat(file)).size;
    await appendFile(file, Buffer.from([0, 0, 0, 40, 1, 2, 3, 4, 0x62])); // a header and one byte of 40
    const cut = await KeyedLog.open(file);
    expect((await stat(file)).size).toBe(whole);
    expect(cut.keys()).toEqual(['a']);
    await cut.put('b', value('second'));
    await cut.close();
    await appendFile(file, Buffer.from([0, 0, 0, 3, 9, 9, 9, 9, 0x63, 0x0a, 0x78])); // whole length, wrong CRC
    const again = await KeyedLog.open(file);
    expect(again.keys().sort()).toEqual(['a', 'b']);
    expect(text(await again.get('b'))).toBe('second');
    await again.close();
  });

  it('rewrites itself without the superseded records once they outweigh the live ones', async () => {
    const file = join(tmp.dir, 'compact.log');
    const log = await KeyedLog.open(file, { compactAfter: 4096 });
    for (let i = 0; i < 200; i++) await log.put(`k${i % 3}`, value(`version ${i} `.repeat(10)));
    expect((await stat(file)).size).toBeLessThan(3 * 4096);
    expect(text(await log.get('k2'))).toBe('version 197 '.repeat(10));
    await log.put('k0', value('after'));
    await log.close();
    const reopened = await KeyedLog.open(file);
    expect(text(await reopened.get('k0'))).toBe('after');
    expect(text(await reopened.get('k1'))).toBe('version 199 '.repeat(10));
    await reopened.close();
    expect((await readdir(tmp.dir)).some((n) => n.endsWith('.compact'))).toBe(false);
  });

  it('refuses a key it could not read back', async () => {
    const log = await KeyedLog.open(join(tmp.dir, 'keys.log'));
    expect(() => log.put('a\nb', value('x'))).toThrow(TypeError);
    expect(() => log.put('', value('x'))).toThrow(TypeError);
    await log.close();
  });
});

describe('order store', () => {
  it("moves an earlier node's order files into its log once", async () => {
    const dir = join(tmp.dir, 'orders');
    const id = 'bafyreiddbtg7zcghiyjj47r3jof6jmksknicaflsrdz6wa7jifwery274m';
    const record = { id, plugin: 'p', principal: 'a', beneficiary: 'b', head: id, history: [id], status: 'open' };
    const json = { version: 1, record: { ...record, created: 1 }, envelopes: { [id]: toBase64(value('env')) } };
    await (await OrderStore.open(dir)).close(); // the directory, as an empty store
    await writeFile(join(dir, `${id}.json`), JSON.stringify({ ...json, replies: {} }));
    const store = await OrderStore.open(dir);
    expect((await readdir(dir)).sort()).toEqual(['orders.log']);
    expect(await store.ids()).toEqual([id]);
    const got = await store.get(id);
    expect(got?.record.status).toBe('open');
    expect(text(got?.envelopes[id])).toBe('env');
    await store.put({ ...got!, record: { ...got!.record, status: 'redeemed' } });
    await store.close();
    const reopened = await OrderStore.open(dir);
    expect((await reopened.get(id))?.record.status).toBe('redeemed');
    await reopened.close();
  });
});
