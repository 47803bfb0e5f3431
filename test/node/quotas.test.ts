// Issue 13, quotas per identity on a real in-process node (HTTP on 127.0.0.1, real Helia, the file stores): the
// limit refuses the next order with 429 quota_exceeded (orders) or 413 quota_exceeded (bytes), naming the limit
// and the usage, before the plugin runs (no record, no secret); a restart keeps the count, a crash too (the counts
// are made again from the order files); the node's own identity is exempt; a redeem is not counted and never
// refused by its principal's quota. A request its plugin refuses leaves no record and no secret either.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../src/core/api/node-api.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { FilePendingSteps } from '../../src/node/storage/pending.ts';
import {
  aliceBobMallory,
  clientOf,
  makeHome,
  PASS,
  postJson,
  type RunningNode,
  startInProcess,
  tempDir,
} from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity;

async function setQuotas(quotas: { quotaOrdersPerIdentity?: number; quotaBytesPerIdentity?: number }) {
  const config = JSON.parse(await readFile(homePaths(home).config, 'utf8'));
  await writeFile(homePaths(home).config, JSON.stringify({ ...config, ...quotas }));
}

/** Alice's safeguard order for Bob, drawn by the node; the reply's status and error. */
async function order(node: RunningNode, as: KeyIdentity = alice, beneficiary = bob) {
  const session = await clientOf(node.url, as);
  const request = await session.request({
    type: 'safeguard/order',
    content: { beneficiary: beneficiary.identity.cid, generate: 32 },
    intentFor: beneficiary.identity,
  });
  const res = await postJson(
    `${node.url}/v1/orders`,
    { envelope: Buffer.from(request.bytes).toString('base64') },
    10_000,
  );
  return { request, status: res.status, error: res.json.error as { code: string; message: string } | undefined };
}

async function keystoreNames(): Promise<string[]> {
  const ks = await FileKeystore.open(homePaths(home).keystore, PASS);
  const names = await ks.list('safeguard/');
  await ks.close();
  return names.map((n) => n.slice('safeguard/'.length)).sort();
}

/** The counts a cleanly stopped node left in its usage snapshot, for `who`. */
async function snapshotOf(who: KeyIdentity): Promise<[number, number] | undefined> {
  const snapshot = JSON.parse(await readFile(join(homePaths(home).usage, 'usage.json'), 'utf8'));
  expect(snapshot.clean).toBe(true);
  return snapshot.usage[who.identity.cid.toString()];
}

/** The requests recorded but not committed, read from the home's write-ahead record. */
async function recorded(): Promise<number> {
  const pending = await FilePendingSteps.open(homePaths(home).pending);
  const n = (await pending.list()).length;
  await pending.close();
  return n;
}

beforeAll(async () => {
  tmp = await tempDir('dta-quotas-');
  home = await makeHome(join(tmp.dir, 'node'), { config: { plugins: ['safeguard'], quotaOrdersPerIdentity: 2 } });
  [alice, bob, mallory] = await aliceBobMallory();
  const node = await startInProcess(home);
  const api = new NodeApi(node.url);
  for (const who of [alice, bob]) await api.registerIdentity(who.identity.bytes);
  await node.close();
});

afterAll(async () => {
  await tmp?.cleanup();
});

describe('quotas per identity', () => {
  it('refuse the next order before its plugin, keep their count over a restart and a crash, spare the node and redeems', async () => {
    let node = await startInProcess(home);
    const committed: string[] = [];
    try {
      for (let i = 0; i < 2; i++) {
        const r = await order(node);
        expect(r.status).toBe(201);
        committed.push(r.request.cid.toString());
      }
      const third = await order(node);
      expect([third.status, third.error?.code]).toEqual([429, 'quota_exceeded']);
      expect(third.error?.message).toMatch(/has 2 orders on this node and the limit is 2 \(quotaOrdersPerIdentity\)/);
      // the node's own identity is exempt
      for (let i = 0; i < 3; i++) {
        const own = await order(node, node.self, bob);
        expect(own.status).toBe(201);
        committed.push(own.request.cid.toString());
      }
      // refused by its plugin (a beneficiary the node does not know): no record, no secret either
      expect((await order(node, bob, mallory)).error?.code).toBe('bad_request');
    } finally {
      await node.close();
    }
    const counted = await snapshotOf(alice);
    expect(counted?.[0]).toBe(2);
    expect(await snapshotOf(node.self)).toBeUndefined();
    expect(await keystoreNames()).toEqual([...committed].sort());
    expect(await recorded()).toBe(0);

    // a clean restart keeps the count; Bob's redeem of Alice's order is neither refused nor counted
    node = await startInProcess(home);
    try {
      expect((await order(node)).status).toBe(429);
      const redeemed = await (await clientOf(node.url, bob)).redeem('safeguard', committed[0]!);
      expect(redeemed.reply.status).toBe('redeemed');
    } finally {
      await node.close();
    }
    expect(await snapshotOf(alice)).toEqual(counted);

    // a killed node leaves a snapshot not marked clean: the counts are made again from the order files
    const usageFile = join(homePaths(home).usage, 'usage.json');
    const forged = { version: 1, clean: false, usage: { [alice.identity.cid.toString()]: [99, 1] } };
    await writeFile(usageFile, JSON.stringify(forged));
    // the bytes limit: one byte more than Alice's orders hold (the orders limit lifted)
    await setQuotas({ quotaOrdersPerIdentity: 0, quotaBytesPerIdentity: counted![1] + 1 });
    node = await startInProcess(home);
    try {
      const over = await order(node);
      expect([over.status, over.error?.code]).toEqual([413, 'quota_exceeded']);
      expect(over.error?.message).toContain(`hold ${counted![1]} bytes on this node`);
      expect(over.error?.message).toContain(`the limit is ${counted![1] + 1} (quotaBytesPerIdentity)`);
    } finally {
      await node.close();
    }
    expect(await snapshotOf(alice)).toEqual(counted);
    expect(await keystoreNames()).toEqual([...committed].sort());
    expect(await recorded()).toBe(0);
  });
});
