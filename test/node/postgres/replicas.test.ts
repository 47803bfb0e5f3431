// Two replicas of one node on one real PostgreSQL (storage "postgres"): `dta init --storage postgres` puts the
// identity and keystore in the database; replicas whose homes hold only config.json (and their own libp2p
// datastore) serve the same node. An order taken by one is redeemed through the other, a replay sent to the other
// is refused, the same request sent to both at once commits once, a replica killed with SIGKILL in the middle of a
// burst loses nothing it acknowledged, and a bad database URL is one line without its password.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../../src/core/api/node-api.ts';
import type { KeyIdentity } from '../../../src/core/api/signer.ts';
import { postEnvelope } from '../crash-node.ts';
import {
  type Child,
  clientIdentity,
  clientOf,
  type RunningNode,
  spawnDta,
  startInProcess,
  tempDir,
} from '../harness.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

type Reply = { order: string; cid: string; replayed: boolean; error?: { code: string; order?: string } };

const LOOPBACK = { port: 0, listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], resolveTimeoutMs: 1500 };

describe.skipIf(!havePostgres)('two replicas of one node on PostgreSQL', () => {
  let cluster: PgCluster;
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let url: string;
  let a: RunningNode;
  let b: RunningNode;
  let alice: KeyIdentity;
  let bob: KeyIdentity;
  let child: Child | undefined;

  /** A replica's home: config.json only (storage in the database, the URL from config). */
  async function replicaHome(name: string, storage: Record<string, unknown>): Promise<string> {
    const home = join(tmp.dir, name);
    await mkdir(home, { recursive: true, mode: 0o700 });
    const config = { ...LOOPBACK, plugins: ['safeguard'], storage };
    await writeFile(join(home, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    return home;
  }

  beforeAll(async () => {
    cluster = await startPostgres();
    tmp = await tempDir('dta-replicas-');
    url = await cluster.createDatabase('node');
    const first = await replicaHome('a', { kind: 'files' });
    const init = await spawnDta(
      ['init', '--home', first, '--storage', 'postgres', '--database-url', url, '--scrypt-log-n', '14'],
      {},
      60_000,
    );
    expect(await init.exited).toBe(0);
    expect(init.output()).toContain('wrote "storage" (postgres');
    // Only config.json, the local libp2p key and the keystore's local part: identity and seed are in the database.
    expect((await readdir(first)).sort()).toEqual(['config.json', 'keystore']);
    const second = await replicaHome('b', { kind: 'postgres', url });
    [a, b] = await Promise.all([startInProcess(first), startInProcess(second)]);
    [alice, bob] = await Promise.all([clientIdentity('alice'), clientIdentity('bob')]);
    const api = new NodeApi(a.url);
    await api.registerIdentity(alice.identity.bytes);
    await api.registerIdentity(bob.identity.bytes);
  }, 120_000);

  afterAll(async () => {
    await child?.kill();
    await a?.close();
    await b?.close();
    await tmp?.cleanup();
    await cluster?.stop();
  });

  it('both replicas are the same node, each its own libp2p peer', async () => {
    expect(b.rt.identity.cid.toString()).toBe(a.rt.identity.cid.toString());
    expect(b.rt.blocks.helia.libp2p.peerId.toString()).not.toBe(a.rt.blocks.helia.libp2p.peerId.toString());
    // Bob was registered through A only.
    expect(await b.rt.identities.isRegistered(bob.identity.cid)).toBe(true);
  });

  it('an order taken by one replica is redeemed through the other; a replay sent to the other is refused', async () => {
    const asAlice = await clientOf(a.url, alice);
    const order = await asAlice.request({
      type: 'safeguard/order',
      content: { beneficiary: bob.identity.cid, generate: 32 },
      intentFor: bob.identity,
    });
    const taken = (await asAlice.postOrder(order)).reply;
    expect(taken.replayed).toBe(false);
    const again = await postEnvelope<Reply>(b.url, '/v1/orders', order.bytes);
    expect([again?.status, again?.json.error?.code, again?.json.error?.order]).toEqual([409, 'replay', taken.order]);

    const asBob = await clientOf(b.url, bob);
    const redeem = await asBob.request({
      type: 'safeguard/redeem',
      content: {},
      order: taken.order,
      previous: CID.parse(taken.cid),
    });
    const redeemed = await asBob.postRedeem(taken.order, redeem);
    const secret = ((await asBob.openReply(redeemed.reply, redeem.cid)) as { secret: Uint8Array }).secret;
    expect(secret.length).toBe(32);
    const twice = await postEnvelope<Reply>(a.url, `/v1/orders/${taken.order}/redeem`, redeem.bytes);
    expect([twice?.status, twice?.json.error?.code]).toEqual([409, 'replay']);
    expect((await new NodeApi(a.url).order(taken.order)).order.status).toBe('redeemed');
  });

  it('the same request sent to both replicas at once commits once', async () => {
    const asAlice = await clientOf(a.url, alice);
    for (let round = 0; round < 5; round++) {
      const order = await asAlice.request({
        type: 'safeguard/order',
        content: { beneficiary: bob.identity.cid, generate: 32 },
        intentFor: bob.identity,
      });
      const both = await Promise.all([a.url, b.url].map((u) => postEnvelope<Reply>(u, '/v1/orders', order.bytes)));
      const fresh = both.filter((r) => r?.status === 201 && r.json.replayed === false);
      expect(fresh).toHaveLength(1);
      const other = both.find((r) => r !== fresh[0]);
      // The loser sees the winner's committed reply: a replay naming the order (or the reply itself, replayed).
      expect(other?.status === 409 ? other.json.error?.order : other?.json.order).toBe(fresh[0]!.json.order);
      const view = await new NodeApi(b.url).order(fresh[0]!.json.order);
      expect(view.history.map((h) => h.cid)).toEqual([order.cid.toString(), fresh[0]!.json.cid]);
    }
  });

  it('a replica killed with SIGKILL mid-burst loses nothing it acknowledged', async () => {
    const home = await replicaHome('c', { kind: 'postgres', url });
    child = await spawnDta(['serve', '--home', home], {}, 60_000);
    const asAlice = await clientOf(child.url, alice);
    const orders = await Promise.all(
      Array.from({ length: 24 }, () =>
        asAlice.request({
          type: 'safeguard/order',
          content: { beneficiary: bob.identity.cid, generate: 32 },
          intentFor: bob.identity,
        }),
      ),
    );
    const acknowledged: Reply[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < orders.length) {
        const reply = await postEnvelope<Reply>(child!.url, '/v1/orders', orders[sent++]!.bytes);
        if (reply?.status === 201) acknowledged.push(reply.json);
      }
    };
    const killer = (async () => {
      for (let i = 0; i < 400 && acknowledged.length < 6; i++) await new Promise((r) => setTimeout(r, 10));
      await child!.kill('SIGKILL');
    })();
    await Promise.all([worker(), worker(), worker(), worker(), killer]);
    expect(await child.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(6);
    expect(acknowledged.length).toBeLessThan(orders.length); // the kill did land mid-burst

    const asBob = await clientOf(a.url, bob);
    for (const reply of acknowledged) {
      const view = await new NodeApi(a.url).order(reply.order);
      expect(view.history.map((h) => h.cid)).toContain(reply.cid);
      const redeem = await asBob.request({
        type: 'safeguard/redeem',
        content: {},
        order: reply.order,
        previous: CID.parse(reply.cid),
      });
      const redeemed = await asBob.postRedeem(reply.order, redeem);
      const secret = ((await asBob.openReply(redeemed.reply, redeem.cid)) as { secret: Uint8Array }).secret;
      expect(secret.length).toBe(32);
    }
  });

  it('a bad database URL is one line without the password', async () => {
    const bad = `postgres://dta:s3cret-pw@127.0.0.1:${cluster.port + 7}/node`;
    const home = await replicaHome('d', { kind: 'postgres', url: bad });
    const failed = await spawnDta(['serve', '--home', home], {}, 30_000).catch((e: Error) => e.message);
    expect(typeof failed).toBe('string');
    const text = String(failed);
    expect(text).not.toContain('s3cret-pw');
    const lines = text
      .replace(/^dta serve exited: /, '')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /cannot use PostgreSQL at postgres:\/\/dta:\*\*\*@127\.0\.0\.1:\d+\/node \(ECONNREFUSED\)/,
    );
  });
});
