/**
 * The one API client (src/core/api) against real nodes: a node's refusals
 * become NodeApiError with its status, code and details; an unreachable or
 * silent node becomes NodeUnreachableError; a reply of the wrong shape a
 * ReplyError. Lost replies: the same envelope sent again is answered from
 * the order's history (409 replay), and a node that died after committing
 * or was down when asked is retried with the same bytes until it answers,
 * never making a second order. The app's e2e suites run this same code in
 * Chromium.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApiError, NodeUnreachableError, ReplyError } from '../../src/core/api/errors.ts';
import { type Fetch, globalFetch, request } from '../../src/core/api/http.ts';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { parseDiscovery } from '../../src/core/api/replies.ts';
import { type NodeSession, openSession } from '../../src/core/api/session.ts';
import { type KeyIdentity, keySigner } from '../../src/core/api/signer.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import {
  type Child,
  clientIdentity,
  clientOf,
  makeHome,
  type RunningNode,
  sharedCore,
  spawnDta,
  startInProcess,
  tempDir,
} from '../node/harness.ts';

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity;
let asAlice: NodeSession, asBob: NodeSession;
const children: Child[] = [];

beforeAll(async () => {
  tmp = await tempDir('dta-api-client-');
  node = await startInProcess(await makeHome(join(tmp.dir, 'node'), { name: 'api client node' }));
  alice = await clientIdentity('alice');
  bob = await clientIdentity('bob');
  asAlice = await clientOf(node.url, alice, { registerFirst: true });
  asBob = await clientOf(node.url, bob);
  await asBob.register();
});

afterAll(async () => {
  for (const c of children) await c.kill();
  await node?.close();
  await tmp?.cleanup();
});

/** A loopback port nothing listens on (taken, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  };
  return { url: `http://127.0.0.1:${port}`, close };
}

const safeguard = (beneficiary: KeyIdentity) => ({ beneficiary: beneficiary.identity.cid, generate: 32 });

describe('errors', () => {
  it("a refusal is a NodeApiError with the node's status, code, message and details", async () => {
    await expect(asAlice.api.order('not-a-cid')).rejects.toMatchObject({
      name: 'NodeApiError',
      status: 400,
      code: 'malformed',
    });
    await expect(asAlice.api.order(bob.identity.cid.toString())).rejects.toMatchObject({
      name: 'NodeApiError',
      status: 404,
      code: 'not_found',
      message: 'no such order',
    });
    const { reply } = await orderSafeguardWith(asAlice, safeguard(bob));
    const refused = await asAlice.redeem('safeguard', reply.order).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeApiError);
    expect(refused).toMatchObject({ status: 403, code: 'not_beneficiary' });
    // The same envelope twice through the bare route: the node's replay error names the order and its reply.
    const request = await asAlice.request({
      type: 'safeguard/order',
      content: safeguard(bob),
      intentFor: bob.identity,
    });
    const first = await asAlice.api.postOrder(request.bytes);
    await expect(asAlice.api.postOrder(request.bytes)).rejects.toMatchObject({
      name: 'NodeApiError',
      status: 409,
      code: 'replay',
      details: { order: first.order, head: first.cid },
    });
  });

  it('a node that cannot be reached, or does not answer in time, is a NodeUnreachableError naming it', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const refused = await new NodeApi(closed).status().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NodeUnreachableError);
    expect(refused).toMatchObject({ url: `${closed}/v1/status`, timedOut: false });
    expect((refused as Error).message).toContain(closed);
    const silent = await silentServer();
    try {
      const slow = await new NodeApi(silent.url).discovery({ timeoutMs: 300 }).catch((e: unknown) => e);
      expect(slow).toMatchObject({ name: 'NodeUnreachableError', timedOut: true });
      expect((slow as Error).message).toMatch(/no answer from .* within 300 ms/);
    } finally {
      await silent.close();
    }
  });

  it('a reply of the wrong shape is a ReplyError, and nothing in it is believed', async () => {
    const status = await request(globalFetch, `${node.url}/v1/status`);
    expect(() => parseDiscovery(status)).toThrow(ReplyError);
    // A node whose discovery document names another identity than the one expected of it.
    const core = await sharedCore();
    const expected = alice.identity.cid.toString();
    await expect(
      openSession(new NodeApi(node.url), core.bls, keySigner(core.bls, alice), { expected }),
    ).rejects.toMatchObject({ name: 'IdentityChangedError', expected, actual: node.rt.identity.cid.toString() });
  });
});

describe('lost replies', () => {
  it('the same envelope sent again is answered from the order history (409 replay), same content', async () => {
    const request = await asAlice.request({
      type: 'safeguard/order',
      content: safeguard(bob),
      intentFor: bob.identity,
    });
    const lost = await asAlice.api.postOrder(request.bytes); // committed by the node, its reply never read
    const recovered = await asAlice.postOrder(request);
    expect(recovered.reply).toEqual({ ...lost, replayed: true });
    expect(recovered.content).toEqual(await asAlice.openReply(lost, request.cid));

    const previous = recovered.envelope.cid;
    const redeem = await asBob.request({ type: 'safeguard/redeem', content: {}, order: lost.order, previous });
    const first = await asBob.postRedeem(lost.order, redeem);
    const again = await asBob.postRedeem(lost.order, redeem);
    expect([first.reply.replayed, again.reply.replayed, again.reply.status]).toEqual([false, true, 'redeemed']);
    expect(again.content).toEqual(first.content);
    expect((await asAlice.api.order(lost.order)).history).toHaveLength(4);
  });

  it('a node that died after committing: the retried envelope recovers the committed reply, one order', async () => {
    const home = await makeHome(join(tmp.dir, 'dies'), { name: 'dies after commit' });
    const port = String(await freePort());
    let child = await spawnDta(['serve', '--home', home, '--port', port], { DTA_FAILPOINT: 'order:after-commit' });
    children.push(child);
    // Retries for a minute: a loaded machine may take many seconds to restart the node.
    const session = await clientOf(child.url, alice, { retries: 240, retryDelayMs: 250, registerFirst: true });
    const placing = orderSafeguardWith(session, safeguard(alice));
    expect(await child.exited).toBe('SIGKILL');
    child = await spawnDta(['serve', '--home', home, '--port', port]);
    children.push(child);
    const placed = await placing;
    expect(placed.reply).toMatchObject({ status: 'open', replayed: true, order: placed.request.cid.toString() });
    expect((placed.content as { generated: boolean }).generated).toBe(true);
    const view = await session.api.order(placed.reply.order);
    expect(view.history.map((h) => h.cid)).toEqual([placed.request.cid.toString(), placed.reply.cid]);
    await child.kill('SIGTERM');
  }, 120_000);

  it('a node that was down when asked: the same envelope is sent again until it is up, answered afresh', async () => {
    const port = await freePort();
    const home = await makeHome(join(tmp.dir, 'down'), { name: 'down for a while', config: { port } });
    let running = await startInProcess(home);
    let posts = 0;
    const counting: Fetch = (input, init) => {
      if (init.method === 'POST' && input.endsWith('/v1/orders')) posts++;
      return globalFetch(input, init);
    };
    const core = await sharedCore();
    const api = new NodeApi(running.url, { fetch: counting });
    const session = await openSession(api, core.bls, keySigner(core.bls, alice), { retries: 240, retryDelayMs: 250 });
    await session.register();
    await running.close();
    try {
      const placing = orderSafeguardWith(session, safeguard(alice));
      await new Promise((r) => setTimeout(r, 600));
      running = await startInProcess(home);
      expect(running.url).toBe(api.url);
      const placed = await placing;
      expect(placed.reply).toMatchObject({ status: 'open', replayed: false });
      expect(posts).toBeGreaterThan(1); // the same bytes each time: the first attempts met a closed port
      expect((await session.api.order(placed.reply.order)).history).toHaveLength(2);
    } finally {
      await running.close();
    }
  });
});
