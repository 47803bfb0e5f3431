// A home made before logs: its identity document binds no log key, and it keeps that identity (its orders name
// its CID). Its node still runs; it derives the same log key from its seed at every start, publishes the binding
// as a dta/log-key envelope signed by its BLS key (GET /v1/log/key), and the API client verifies its order replies
// with the key that statement gives. Its orders and identities made before the log are backfilled into the log at
// the first start that has one, once.
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyError } from '../../src/core/api/errors.ts';
import { logKeyOfIdentity, logKeyOfStatement } from '../../src/core/api/log-proof.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { createEnvelope, createIdentity, generateIdentitySecrets } from '../../src/core/protocol/index.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { storedOrders } from '../../src/node/storage/orders.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import {
  clientIdentity,
  clientOf,
  makeHome,
  PASS,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let node: RunningNode | undefined;
let alice: KeyIdentity, bob: KeyIdentity;

/** Rewrites the home's identity document as one made before logs: the same keys, no `log` field. */
async function makeOldIdentity(dir: string): Promise<void> {
  const core = await sharedCore();
  const keystore = await FileKeystore.open(homePaths(dir).keystore, PASS);
  const seed = (await keystore.get('node/seed'))!;
  await keystore.close();
  const secrets = await generateIdentitySecrets(core.bls, seed);
  const old = await createIdentity(core.bls, secrets, { name: 'made before logs', created: 1_700_000_000_000 });
  await writeFile(homePaths(dir).identity, old.bytes);
}

async function sessions(url: string): Promise<{ asAlice: NodeSession; asBob: NodeSession }> {
  return { asAlice: await clientOf(url, alice), asBob: await clientOf(url, bob) };
}

beforeAll(async () => {
  tmp = await tempDir('dta-log-binding-');
  home = await makeHome(join(tmp.dir, 'old'), { config: { plugins: ['safeguard'] } });
  await makeOldIdentity(home);
  alice = await clientIdentity('alice');
  bob = await clientIdentity('bob');
}, 60_000);

afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('a node whose identity was made before logs', () => {
  it('keeps its identity, publishes its log key in a signed statement, and its replies verify with it', async () => {
    node = await startInProcess(home);
    expect(node.rt.identity.value.log).toBeUndefined();
    const { asAlice, asBob } = await sessions(node.url);
    expect(logKeyOfIdentity(asAlice.node)).toBeUndefined();
    await asAlice.register();
    await asBob.register();
    const key = await asAlice.logKey();
    expect(key.verifierKey).toBe(node.rt.log.verifierKey);
    const ordered = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 32 });
    expect(ordered.checkpoint?.origin).toBe(key.origin);
    const redeemed = await asBob.redeem('safeguard', ordered.reply.order);
    expect(redeemed.checkpoint!.size).toBeGreaterThan(ordered.checkpoint!.size);

    // the statement is the node's: the same one at every start, and one by anybody else is refused
    const statement = (await asAlice.api.logKey()).statement!;
    const core = await sharedCore();
    const mallory = await clientIdentity('mallory');
    const forged = await createEnvelope(core.bls, mallory.secrets.bls, {
      type: 'dta/log-key',
      sender: mallory.identity.cid,
      content: { origin: key.origin, key: key.publicKey },
      sealed: false,
    });
    await expect(logKeyOfStatement(core.bls, asAlice.node, forged.bytes)).rejects.toBeInstanceOf(ReplyError);
    await node.close();
    node = await startInProcess(home);
    const again = await (await sessions(node.url)).asAlice.api.logKey();
    expect([again.statement, again.key]).toEqual([statement, key.verifierKey]);
  }, 120_000);

  it('backfills what it held before its log once, at the first start with a log', async () => {
    const order = (await node!.rt.orders.get(await firstOrderId()))!;
    const cids = order.record.history;
    await node!.close();
    node = undefined;
    await rm(homePaths(home).log, { recursive: true }); // as before logs existed; the statement is made again
    node = await startInProcess(home);
    const size = (await node.rt.log.latest()).checkpoint.size;
    // the node's identity, Alice, Bob, and the four envelopes of the order
    expect(size).toBe(3 + cids.length);
    for (const cid of cids) expect(await node.rt.log.indexOf(CID.parse(cid))).toBeDefined();
    for (const who of [node.rt.identity, alice.identity, bob.identity]) {
      expect(await node.rt.log.indexOf(who.cid)).toBeDefined();
    }
    await node.close();
    node = await startInProcess(home);
    expect((await node.rt.log.latest()).checkpoint.size).toBe(size);
  }, 120_000);
});

async function firstOrderId(): Promise<string> {
  const orders = await storedOrders(homePaths(home).orders);
  expect(orders.length).toBe(1);
  return orders[0]!.record.id;
}
