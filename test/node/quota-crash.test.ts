// Issue 13 follow-up, quotas across crashes on the file stores (real `dta serve` children killed with SIGKILL at
// the failpoints order:after-record and order:after-plugin, real in-process nodes on 127.0.0.1, real Helia): an
// order step interrupted and then finished, by recovery at start or by its client's retry, counts exactly one order
// and the bytes of an uninterrupted order in the principal's usage; a refused step counts nothing; a step failed
// with a 5xx stays recorded and counted once, and its retry does not count it again (quota-crash-steps.ts).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homePaths } from '../../src/node/config.ts';
import { FilePendingSteps } from '../../src/node/storage/pending.ts';
import { crashFiduciary } from './crash-node.ts';
import { type Child, clientIdentity } from './harness.ts';
import { orderStepsCountOnce, type QuotaCrashSetup } from './quota-crash-steps.ts';

let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
let child: Child | undefined;
let setup: QuotaCrashSetup;

beforeAll(async () => {
  const made = await crashFiduciary('dta-quota-crash-', 'safeguard');
  tmp = made.tmp;
  const { home, alice, bob } = made;
  const mallory = await clientIdentity('mallory');
  setup = {
    home,
    alice,
    bob,
    mallory,
    async usage() {
      const text = await readFile(join(homePaths(home).usage, 'usage.json'), 'utf8').catch(() => undefined);
      if (text === undefined) return [0, 0];
      const snapshot = JSON.parse(text);
      expect(snapshot.clean).toBe(true); // read only once a node stopped cleanly
      return snapshot.usage[alice.identity.cid.toString()] ?? [0, 0];
    },
    async recorded() {
      const pending = await FilePendingSteps.open(homePaths(home).pending);
      const n = (await pending.list()).length;
      await pending.close();
      return n;
    },
    async asIfKilled() {
      const file = join(homePaths(home).usage, 'usage.json');
      const snapshot = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(
        file,
        JSON.stringify({ ...snapshot, clean: false, usage: { [alice.identity.cid.toString()]: [99, 1] } }),
      );
    },
    track: (c) => {
      child = c;
    },
  };
}, 120_000);

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('quotas on the file stores, across crashes', () => {
  it('count an order step exactly once however it ends: killed, finished, refused, failed and retried', async () => {
    await orderStepsCountOnce(setup);
  }, 240_000); // two `dta serve` starts and seven in-process nodes: under a minute on a quiet machine
});
