// Durable writes (src/node/fsutil.ts) as the order path makes them, many at once in one directory: each writer's
// bytes in place once its promise resolves, exactly one winner among concurrent creates of one name, the directory
// made when missing, no temporary file left behind.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurable, readIfExists, writeDurable } from '../../src/node/fsutil.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  tmp = await tempDir('dta-fsutil-');
});

afterAll(async () => {
  await tmp?.cleanup();
});

/** Distinct bytes for writer `i`, long enough to take more than one page. */
const bytesOf = (i: number): Uint8Array => new Uint8Array(5000 + i).fill(i % 251);

describe('durable writes', () => {
  it('concurrent writes into one directory, over several turns: every file in place with its bytes', async () => {
    const dir = join(tmp.dir, 'orders', 'nested'); // missing: made by the first writes
    const writes: Promise<void>[] = [];
    for (let turn = 0; turn < 4; turn++) {
      for (let i = 0; i < 12; i++) writes.push(writeDurable(join(dir, `${turn}-${i}.bin`), bytesOf(turn * 12 + i)));
      await new Promise((resolve) => setImmediate(resolve)); // the turns' writers overlap
    }
    await Promise.all(writes);
    const names = (await readdir(dir)).sort();
    expect(names).toHaveLength(48);
    expect(names.some((n) => n.startsWith('.tmp-'))).toBe(false);
    for (let turn = 0; turn < 4; turn++) {
      for (let i = 0; i < 12; i++) {
        expect(new Uint8Array(await readFile(join(dir, `${turn}-${i}.bin`)))).toEqual(bytesOf(turn * 12 + i));
      }
    }
  });

  it('a replacement and a string: the last write wins, UTF-8 on disk', async () => {
    const file = join(tmp.dir, 'replaced.json');
    await writeDurable(file, bytesOf(1));
    await writeDurable(file, '{"name":"Zoë ✓"}');
    expect(await readFile(file, 'utf8')).toBe('{"name":"Zoë ✓"}');
  });

  it('concurrent creates of one name: exactly one wins and its bytes stay; others and later ones get false', async () => {
    const dir = join(tmp.dir, 'keystore');
    const file = join(dir, 'secret.key');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => createDurable(file, bytesOf(i))));
    expect(results.filter((won) => won)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(new Uint8Array((await readIfExists(file))!)).toEqual(bytesOf(winner));
    expect(await createDurable(file, bytesOf(99))).toBe(false);
    expect(new Uint8Array((await readIfExists(file))!)).toEqual(bytesOf(winner));
    expect(await readdir(dir)).toEqual(['secret.key']); // every temporary file unlinked
  });
});
