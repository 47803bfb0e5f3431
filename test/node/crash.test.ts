// Crash safety with real `dta serve` child processes, killed with SIGKILL at the worst moments: right after the
// plugin committed a secret but before the order was written (failpoint order:after-plugin), right after a commit
// but before the reply left (order:after-commit, redeem:after-commit), and from outside in the middle of
// concurrent orders. After every restart the flows complete, nothing accepted is lost, and a retried order
// returns the same committed secret: the node answers a retry of a committed step with 409 replay naming the
// order and its reply step, and the client reads that step from the order's history.
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepReply } from '../../src/core/api/replies.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { safeguardOrderContent } from '../../src/plugins/safeguard/order.ts';
import { crashFiduciary, postEnvelope, serveHome } from './crash-node.ts';
import { type Child, clientOf, countOrders, PASS } from './harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let home: string;
let alice: KeyIdentity, bob: KeyIdentity;
let child: Child | undefined;

async function serve(failpoint?: string): Promise<{ url: string; asAlice: NodeSession; asBob: NodeSession }> {
  child = await serveHome(home, failpoint);
  return { url: child.url, asAlice: await clientOf(child.url, alice), asBob: await clientOf(child.url, bob) };
}

type Replay = { error: { code: string; order: string; head: string } };

const post = postEnvelope<StepReply & Replay>;

/** The secrets the safeguard plugin committed, read from the keystore on disk. */
async function committedSecrets(): Promise<Map<string, Buffer>> {
  const ks = await FileKeystore.open(homePaths(home).keystore, PASS);
  const out = new Map<string, Buffer>();
  for (const name of await ks.list('safeguard/')) out.set(name.slice('safeguard/'.length), (await ks.get(name))!);
  await ks.close();
  return out;
}

beforeAll(async () => {
  ({ tmp, home, alice, bob } = await crashFiduciary('dta-crash-', 'safeguard'));
});

afterAll(async () => {
  await child?.kill();
  await tmp?.cleanup();
});

describe('kill -9 the fiduciary in the middle of a flow', () => {
  it('after a secret is committed but not the order, and after commits but before replies: retries complete with the same secret', async () => {
    // 1. the node draws a secret, stores it, and dies before writing the order
    let node = await serve('order:after-plugin');
    const order = await node.asAlice.request({
      type: 'safeguard/order',
      content: { beneficiary: bob.identity.cid, generate: 32 },
      intentFor: bob.identity,
    });
    expect(await post(node.url, '/v1/orders', order.bytes)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');
    const drawn = (await committedSecrets()).get(order.cid.toString());
    expect(drawn?.length).toBe(32);
    expect(await countOrders(homePaths(home).orders)).toBe(0);

    // 2. restarted, the retry commits the order with the secret drawn before the crash; the node dies before replying
    node = await serve('order:after-commit');
    expect(await post(node.url, '/v1/orders', order.bytes)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');
    expect(await countOrders(homePaths(home).orders)).toBe(1);

    // 3. restarted, the retry is a replay naming the reply committed before the crash, which the client reads back;
    //    the redeem is committed, then the node dies
    node = await serve('redeem:after-commit');
    const again = await post(node.url, '/v1/orders', order.bytes);
    expect([again?.status, again?.json.error.code, again?.json.error.order]).toEqual([
      409,
      'replay',
      order.cid.toString(),
    ]);
    expect((await node.asAlice.api.order(order.cid.toString())).order.head).toBe(again!.json.error.head);
    const recovered = (await node.asAlice.postOrder(order)).reply;
    expect([recovered.replayed, recovered.cid]).toEqual([true, again!.json.error.head]);
    await node.asAlice.openReply(recovered, order.cid); // signed by the node, linked to this very request
    const redeem = await node.asBob.request({
      type: 'safeguard/redeem',
      content: {},
      order: order.cid.toString(),
      previous: CID.parse(recovered.cid),
    });
    expect(await post(node.url, `/v1/orders/${order.cid}/redeem`, redeem.bytes)).toBeUndefined();
    expect(await child!.exited).toBe('SIGKILL');

    // 4. restarted, the redeem retry is a replay too; the client's retry gets the committed reply: the secret drawn
    //    in step 1, the only one there is
    node = await serve();
    const replayed = await post(node.url, `/v1/orders/${order.cid}/redeem`, redeem.bytes);
    expect([replayed?.status, replayed?.json.error.code]).toEqual([409, 'replay']);
    const redeemed = (await node.asBob.postRedeem(order.cid.toString(), redeem)).reply;
    expect([redeemed.replayed, redeemed.status, redeemed.cid]).toEqual([true, 'redeemed', replayed!.json.error.head]);
    const secret = (await node.asBob.openReply(redeemed, redeem.cid)) as { secret: Uint8Array };
    expect(Buffer.from(secret.secret).equals(drawn!)).toBe(true);
    expect((await committedSecrets()).size).toBe(1);
  });

  it('killed from outside during concurrent orders: every accepted order survives, every retry returns the same secret', async () => {
    const node = child?.alive() ? { url: child.url, asAlice: await clientOf(child.url, alice) } : await serve();
    const secrets = Array.from({ length: 12 }, (_, i) => new TextEncoder().encode(`secret number ${i}`));
    const envelopes = await Promise.all(
      secrets.map(async (secret) =>
        node.asAlice.request({
          type: 'safeguard/order',
          intentFor: bob.identity,
          content: await safeguardOrderContent(node.asAlice.me, node.asAlice.node, {
            beneficiary: bob.identity.cid,
            secret,
          }),
        }),
      ),
    );
    const accepted = new Map<string, string>(); // order id -> reply cid
    await Promise.all(
      envelopes.map(async (env) => {
        const r = await post(node.url, '/v1/orders', env.bytes);
        if (r?.status !== 201) return;
        accepted.set(r.json.order, r.json.cid);
        if (accepted.size === 3) void child!.kill('SIGKILL');
      }),
    );
    expect(await child!.exited).toBe('SIGKILL');
    expect(accepted.size).toBeGreaterThanOrEqual(3);

    const after = await serve();
    for (const [id, cid] of accepted) expect((await after.asAlice.api.order(id)).order.head).toBe(cid);
    for (const [i, env] of envelopes.entries()) {
      const r = await post(after.url, '/v1/orders', env.bytes);
      // accepted: a replay naming the reply that was sent; the others were either committed as the node died (replay) or are new (201)
      if (accepted.has(env.cid.toString()))
        expect([r?.status, r?.json.error.head]).toEqual([409, accepted.get(env.cid.toString())]);
      else expect([201, 409]).toContain(r?.status);
      expect((await after.asAlice.postOrder(env)).reply.replayed).toBe(true);
      const got = (await after.asBob.redeem('safeguard', env.cid.toString())).content as { secret: Uint8Array };
      expect(Buffer.from(got.secret).equals(Buffer.from(secrets[i]!))).toBe(true);
    }
    await child!.kill('SIGTERM');
  });
});
