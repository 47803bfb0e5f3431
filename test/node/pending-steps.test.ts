// The file write-ahead record of order steps (src/node/storage/pending.ts) on a real directory: what was added and
// not removed is there after a reopen, in order; a torn last line (a crash mid-append, its add never resolved) is
// ignored; removals need no fsync of their own, and the file is rewritten with the live records when it opens.
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilePendingSteps, type PendingStep } from '../../src/node/storage/pending.ts';
import { tempDir } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };

const step = (n: number, kind: PendingStep['step'] = 'order'): PendingStep => ({
  request: `bafyrequest${n}`,
  order: kind === 'order' ? `bafyrequest${n}` : 'bafyorder0',
  step: kind,
  envelope: Uint8Array.from([n, 0, 255, n]),
});

beforeAll(async () => {
  tmp = await tempDir('dta-pending-');
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('the file write-ahead record', () => {
  it('keeps what was added and not removed, ignores a torn tail, compacts at open', async () => {
    const dir = join(tmp.dir, 'pending');
    let pending = await FilePendingSteps.open(dir);
    await Promise.all([pending.add(step(1)), pending.add(step(2, 'redeem')), pending.add(step(3))]);
    await pending.remove('bafyrequest1');
    await pending.remove('bafynothing'); // unknown: nothing happens
    expect(await pending.has('bafyrequest2')).toBe(true);
    expect(await pending.has('bafyrequest1')).toBe(false);
    await pending.close();
    // a crash mid-append: a line cut where it still parses (base64 of a shorter envelope), without its newline
    await appendFile(join(dir, 'steps.log'), '+ bafyrequest4 bafyrequest4 order AAEC');

    pending = await FilePendingSteps.open(dir);
    expect(await pending.list()).toEqual([step(2, 'redeem'), step(3)]);
    const text = await readFile(join(dir, 'steps.log'), 'utf8');
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ').slice(0, 4).join(' ')),
    ).toEqual(['+ bafyrequest2 bafyorder0 redeem', '+ bafyrequest3 bafyrequest3 order']);
    expect(() => pending.add({ ...step(5), request: 'not a cid!' })).toThrow(/bad request or order id/);
    await pending.close();
  });
});
