// Deleting a keystore secret (a custody share moved by resharing): gone from get, has and list, its file gone from
// the directory, idempotent, through a plugin's scope too; other secrets untouched.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  tmp = await tempDir('dta-keystore-delete-');
});
afterAll(async () => {
  await tmp?.cleanup();
});

describe('keystore delete', () => {
  it('removes one secret for good, idempotently, through a scope too', async () => {
    const dir = join(tmp.dir, 'ks');
    const ks = await FileKeystore.create(dir, new TextEncoder().encode('pass'), { scryptLogN: 14 });
    const scoped = scopeKeystore(ks, 'custody');
    await scoped.put('order/a', new Uint8Array(32).fill(7));
    await scoped.put('order/b', new Uint8Array(32).fill(8));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.key')).length;
    await scoped.delete!('order/a');
    await scoped.delete!('order/a');
    expect(await scoped.get('order/a')).toBeUndefined();
    expect(await scoped.has('order/a')).toBe(false);
    expect(await scoped.list!('order/')).toEqual(['order/b']);
    expect((await readdir(dir)).filter((f) => f.endsWith('.key'))).toHaveLength(files - 1);
    expect(new Uint8Array((await scoped.get('order/b'))!)).toEqual(new Uint8Array(32).fill(8));
    await ks.close();
  });
});
