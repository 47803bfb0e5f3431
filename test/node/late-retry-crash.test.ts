// Issue 13, F5: a fiduciary killed (kill -9, real `dta serve` child processes) after it recorded an order request
// but before its plugin ran (failpoint order:after-record), or after the plugin wrote its secret but before the
// order was committed (order:after-plugin), for safeguard and bitcoin orders. Restarted with its clock moved past
// the freshness window, the node finishes every recorded request before it serves: a retry, however late, gets
// 409 replay naming the committed reply (which the client reads back) instead of 401 stale, and the keystore holds
// exactly the secrets of committed orders (before F5: 401 stale, and the secret drawn before the crash orphaned).
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { SentRequest } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { DEFAULT_FRESHNESS_MS, homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { FilePendingSteps } from '../../src/node/storage/pending.ts';
import { generateShare, publicKeyOf } from '../../src/plugins/bitcoin/keys.ts';
import { createKeyStatement } from '../../src/plugins/bitcoin/statement.ts';
import { crashFiduciary, postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf, countOrders, PASS, sharedCore, startInProcess } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity;
let child: Child | undefined;

type Replay = { error: { code: string; order: string; head: string } };
const post = postEnvelope<StepReply & Replay>;

/** The names a plugin keeps in the keystore on disk, without its prefix (bitcoin's key register left out). */
async function secretsOf(plugin: string): Promise<Map<string, string>> {
  const ks = await FileKeystore.open(homePaths(home).keystore, PASS);
  const out = new Map<string, string>();
  for (const name of await ks.list(`${plugin}/`)) {
    const short = name.slice(plugin.length + 1);
    if (!short.startsWith('key')) out.set(short, Buffer.from((await ks.get(name))!).toString('hex'));
  }
  await ks.close();
  return out;
}

/** The requests recorded but not committed, read from the home's write-ahead record. */
async function recorded(): Promise<string[]> {
  const pending = await FilePendingSteps.open(homePaths(home).pending);
  const list = (await pending.list()).map((s) => s.request);
  await pending.close();
  return list.sort();
}

/** An order request by Alice for `plugin` (a fresh key card for bitcoin: one B per order). */
async function orderOf(url: string, plugin: 'safeguard' | 'bitcoin'): Promise<SentRequest> {
  const asAlice = await clientOf(url, alice);
  if (plugin === 'safeguard') {
    return asAlice.request({
      type: 'safeguard/order',
      content: { beneficiary: bob.identity.cid, generate: 32 },
      intentFor: bob.identity,
    });
  }
  const statement = await createKeyStatement((await sharedCore()).bls, bob.secrets.bls, bob.identity.cid, {
    network: 'testnet',
    beneficiaryPublicKey: publicKeyOf(generateShare()),
  });
  return asAlice.request({
    type: 'bitcoin/order',
    content: { network: 'testnet', addressType: 'p2tr', beneficiaryKey: statement },
  });
}

/** Serves the home with `failpoint` armed and sends one `plugin` order, which kills the node; returns the order. */
async function killedAt(failpoint: string, plugin: 'safeguard' | 'bitcoin'): Promise<SentRequest> {
  child = await serveHome(home, failpoint, 60_000); // a slow start under load is not a failure
  const order = await orderOf(child.url, plugin);
  expect(await post(child.url, '/v1/orders', order.bytes)).toBeUndefined();
  expect(await child.exited).toBe('SIGKILL');
  return order;
}

beforeAll(async () => {
  ({ tmp, home, alice, bob } = await crashFiduciary('dta-late-retry-', 'safeguard'));
  const config = JSON.parse(await readFile(homePaths(home).config, 'utf8'));
  await writeFile(homePaths(home).config, JSON.stringify({ ...config, plugins: ['safeguard', 'bitcoin'] }));
});

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('a retry after a crash, later than the freshness window', () => {
  it('gets the committed reply, and the keystore holds exactly the secrets of committed orders', async () => {
    const early = [await killedAt('order:after-record', 'safeguard'), await killedAt('order:after-record', 'bitcoin')];
    expect(await secretsOf('safeguard')).toEqual(new Map()); // recorded, the plugin never ran
    expect(await secretsOf('bitcoin')).toEqual(new Map());
    const late = [await killedAt('order:after-plugin', 'safeguard'), await killedAt('order:after-plugin', 'bitcoin')];
    const drawn = { safeguard: await secretsOf('safeguard'), bitcoin: await secretsOf('bitcoin') };
    expect([...drawn.safeguard.keys()]).toEqual([late[0]!.cid.toString()]);
    expect([...drawn.bitcoin.keys()]).toEqual([late[1]!.cid.toString()]);
    const all = [...early, ...late];
    expect(await recorded()).toEqual(all.map((o) => o.cid.toString()).sort());
    expect(await countOrders(homePaths(home).orders)).toBe(0);

    // Restarted later than every request's window: the node finishes them before it serves.
    const skew = DEFAULT_FRESHNESS_MS + 60_000;
    const node = await startInProcess(home, { now: () => Date.now() + skew });
    try {
      const asAlice = await clientOf(node.url, alice);
      for (const order of all) {
        const retry = await post(node.url, '/v1/orders', order.bytes);
        expect([retry?.status, retry?.json.error.code, retry?.json.error.order]).toEqual([
          409,
          'replay',
          order.cid.toString(),
        ]);
        const recovered = (await asAlice.postOrder(order)).reply;
        expect([recovered.replayed, recovered.cid]).toEqual([true, retry!.json.error.head]);
        await asAlice.openReply(recovered, order.cid); // signed by the node, linked to this very request
      }
      // A request the node never recorded is still refused as stale by this clock.
      const unrecorded = await orderOf(node.url, 'safeguard');
      expect((await post(node.url, '/v1/orders', unrecorded.bytes))?.json.error.code).toBe('stale');
    } finally {
      await node.close();
    }
    expect(await recorded()).toEqual([]);
    expect(await countOrders(homePaths(home).orders)).toBe(4);
    const kept = { safeguard: await secretsOf('safeguard'), bitcoin: await secretsOf('bitcoin') };
    expect([...kept.safeguard.keys()].sort()).toEqual([early[0]!, late[0]!].map((o) => o.cid.toString()).sort());
    expect([...kept.bitcoin.keys()].sort()).toEqual([early[1]!, late[1]!].map((o) => o.cid.toString()).sort());
    // The secrets drawn before the crash are the ones committed, not new ones.
    expect(kept.safeguard.get(late[0]!.cid.toString())).toBe(drawn.safeguard.get(late[0]!.cid.toString()));
    expect(kept.bitcoin.get(late[1]!.cid.toString())).toBe(drawn.bitcoin.get(late[1]!.cid.toString()));
  }, 240_000); // four `dta serve` starts: about a minute on a quiet machine, more under load
});
