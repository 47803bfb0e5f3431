// The node's HTTP API in one process: real Helia, real HTTP on 127.0.0.1. Status, discovery, OpenAPI,
// identity registration, the safeguard flow, and bad input of every kind: each a 4xx {error: {code, message}},
// no state change (orders, keystore, replay log), the node keeps serving.

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import { createEnvelope, readIdentity, recipientOf } from '../../src/core/protocol/index.ts';
import { homePaths } from '../../src/node/config.ts';
import { APP_STATIC_ROUTES } from '../../src/node/http/app-static.ts';
import { checkPluginOpenApi } from '../../src/node/http/openapi-plugins.ts';
import { NODE_SCHEMAS } from '../../src/node/http/schemas.ts';
import { registeredRoutes } from '../../src/node/http/server.ts';
import safeguard from '../../src/node/plugins/safeguard/index.ts';
import type { DtaPlugin, PluginOpenApi } from '../../src/node/plugins/types.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import {
  clientIdentity,
  clientOf,
  countFiles,
  countOrders,
  makeHome,
  type RunningNode,
  sharedCore,
  startInProcess,
  tempDir,
} from './harness.ts';

/** A test plugin with one route of its own, checked by the node's request verifier (ctx.requests). */
const echo: DtaPlugin = {
  name: 'echo',
  version: '0.0.1',
  async routes(app, ctx) {
    const schema = {
      summary: 'say something, signed',
      response: { 200: { description: 'what was said, by whom', type: 'object' } },
    };
    app.post('/say', { schema }, async (req) => {
      const opened = await ctx.requests!.open(req.body, 'echo/say');
      return { from: opened.sender.cid.toString(), said: (opened.content as { text: string }).text };
    });
  },
};

/**
 * What /openapi.json and the server disagree on: routes registered but not
 * described, and operations described but not routed. HEAD (fastify adds
 * one per GET), the CORS preflight and the app's static files
 * (APP_STATIC_ROUTES, exactly) are not API routes; a plugin's root is
 * registered both with and without its trailing slash; a wildcard route (the log's tiles) is
 * documented with its path parameter `{*}`.
 */
async function openApiDrift(n: RunningNode): Promise<{ undocumented: string[]; unrouted: string[] }> {
  const doc = (await (await fetch(`${n.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const norm = (path: string) => (path.length > 1 ? path.replace(/\/$/, '') : path);
  const routes = new Set(
    registeredRoutes(n.rt.app)
      .filter((r) => r.method !== 'HEAD' && !(r.method === 'OPTIONS' && r.url.includes('*')))
      .filter((r) => !APP_STATIC_ROUTES.some((s) => s.method === r.method && s.url === r.url))
      .map((r) => `${r.method} ${norm(r.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/\*$/, '/{*}'))}`),
  );
  const described = new Set(
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((k) => ['get', 'post', 'put', 'delete', 'patch'].includes(k))
        .map((m) => `${m.toUpperCase()} ${norm(path)}`),
    ),
  );
  return {
    undocumented: [...routes].filter((r) => !described.has(r)),
    unrouted: [...described].filter((d) => !routes.has(d)),
  };
}

let tmp: { dir: string; cleanup: () => Promise<void> };
let node: RunningNode;
let alice: KeyIdentity, bob: KeyIdentity, mallory: KeyIdentity, eve: KeyIdentity;
let asAlice: NodeSession, asBob: NodeSession, asMallory: NodeSession;
const enc = (s: string) => new TextEncoder().encode(s);
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

async function post(path: string, body: BodyInit, type = 'application/json'): Promise<{ status: number; json: any }> {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${node.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
  return { status: res.status, json: await res.json() };
}

/** What must not change when a request is refused. */
async function state() {
  const p = homePaths(node.config.home);
  const replay = await readFile(join(p.replay, 'seen.log'), 'utf8').catch(() => '');
  return {
    orders: await countOrders(p.orders),
    keys: await countFiles(p.keystore, '.key'),
    replay: replay.length,
  };
}

/** Posts `body` and checks the refusal: status, code, no state change, no stack trace, node still up. */
async function refused(path: string, body: BodyInit, status: number, code: string, type?: string) {
  const before = await state();
  const r = await post(path, body, type);
  expect({ status: r.status, code: r.json?.error?.code }).toEqual({ status, code });
  expect(typeof r.json.error.message).toBe('string');
  expect(JSON.stringify(r.json)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(await state()).toEqual(before);
  expect((await fetch(`${node.url}/v1/status`)).status).toBe(200);
  return r.json;
}

const envJson = (bytes: Uint8Array) => JSON.stringify({ envelope: b64(bytes) });

beforeAll(async () => {
  tmp = await tempDir();
  await makeHome(join(tmp.dir, 'f'), { name: 'fiduciary' });
  node = await startInProcess(join(tmp.dir, 'f'), { plugins: [safeguard, echo] });
  alice = await clientIdentity('alice');
  bob = await clientIdentity('bob');
  mallory = await clientIdentity('mallory');
  eve = await clientIdentity('eve');
  asAlice = await clientOf(node.url, alice);
  asBob = await clientOf(node.url, bob);
  asMallory = await clientOf(node.url, mallory);
  for (const c of [alice, bob, mallory]) await asAlice.api.registerIdentity(c.identity.bytes);
});
afterAll(async () => {
  await node?.close();
  await tmp?.cleanup();
});

describe('status, discovery and OpenAPI', () => {
  it('GET /v1/status names the identity, version and plugins', async () => {
    const s = await (await fetch(`${node.url}/v1/status`)).json();
    expect(s.identity).toBe(node.rt.identity.cid.toString());
    expect(s.plugins.map((p: { name: string }) => p.name)).toEqual(['safeguard', 'echo']);
    expect(s.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(Array.isArray(s.peers)).toBe(true);
  });

  it('GET /.well-known/dta carries the verifiable identity document and the addresses', async () => {
    const d = await (await fetch(`${node.url}/.well-known/dta`)).json();
    const doc = await readIdentity(
      (await sharedCore()).bls,
      new Uint8Array(Buffer.from(d.identityDocument, 'base64')),
      CID.parse(d.identity),
    );
    expect(doc.value.name).toBe('fiduciary');
    expect(d.http).toEqual([node.url]);
    expect(d.libp2p.every((a: string) => a.startsWith('/ip4/127.0.0.1/'))).toBe(true);
    expect(d.suites.signature).toBe('BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_');
  });

  it("GET /openapi.json describes every route the server registers (plugins' too), and nothing else", async () => {
    expect(await openApiDrift(node)).toEqual({ undocumented: [], unrouted: [] });
    expect(registeredRoutes(node.rt.app)).toContainEqual({ method: 'POST', url: '/v1/plugins/echo/say' });
    expect(node.rt.appRoot).toBeUndefined();
    expect(registeredRoutes(node.rt.app)).not.toContainEqual(APP_STATIC_ROUTES[0]);
    // every built-in plugin, and the app served at / as `dta serve` does
    await makeHome(join(tmp.dir, 'builtins'), { name: 'every built-in plugin' });
    const dist = join(tmp.dir, 'dist');
    await mkdir(dist, { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>dta</title>');
    const all = await startInProcess(join(tmp.dir, 'builtins'), { appRoot: dist });
    try {
      expect(all.rt.plugins.names()).toEqual(['safeguard', 'bitcoin', 'mpin', 'custody']);
      expect(all.rt.appRoot).toBe(dist);
      for (const r of APP_STATIC_ROUTES) expect(registeredRoutes(all.rt.app)).toContainEqual(r);
      const drift = await openApiDrift(all);
      expect(drift).toEqual({ undocumented: [], unrouted: [] });
      // the app at / and its routes, never over the API
      const page = await fetch(`${all.url}/orders/x`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<title>dta</title>');
      expect((await fetch(`${all.url}/openapi.json`)).headers.get('content-type')).toMatch(/^application\/json/);
      expect((await fetch(`${all.url}/v1/status`)).status).toBe(200);
      const missing = await fetch(`${all.url}/v1/nothing`);
      expect([missing.status, await missing.json()]).toEqual([
        404,
        { error: { code: 'not_found', message: 'no such route' } },
      ]);
      expect((await fetch(`${all.url}/.well-known/nothing`)).status).toBe(404);
      const mpinPosts = registeredRoutes(all.rt.app).filter(
        (r) => r.url.startsWith('/v1/plugins/mpin/') && r.method === 'POST',
      );
      // the login's one-time challenge (issue 16), the login, the authentication server's setup
      expect(mpinPosts.map((r) => r.url).sort()).toEqual([
        '/v1/plugins/mpin/challenge',
        '/v1/plugins/mpin/login',
        '/v1/plugins/mpin/server/setup',
      ]);
    } finally {
      await all.close();
    }
  });

  it('GET /openapi.json: plugins tagged, their envelopes on the order routes, their schemas and error codes', async () => {
    const o = await (await fetch(`${node.url}/openapi.json`)).json();
    expect(o.tags.map((t: { name: string }) => t.name)).toEqual(['safeguard', 'echo']);
    expect(o.paths['/v1/plugins/echo/say'].post.tags).toEqual(['echo']);
    const orders = o.paths['/v1/orders'].post['x-dta-envelopes'];
    expect(Object.keys(orders)).toEqual(['safeguard/order']);
    expect(orders['safeguard/order'].content).toEqual({ $ref: '#/components/schemas/safeguard.order' });
    expect(o.paths['/v1/orders/{id}/redeem'].post['x-dta-envelopes']['safeguard/redeem'].reply.type).toBe(
      'safeguard/redeem-reply',
    );
    expect(o.components.schemas['safeguard.order'].oneOf).toHaveLength(3); // secret, generate, deposit (intent)
    expect(o.components.schemas['safeguard.redeem-reply'].required).toContain('secret');
    expect(o.paths['/v1/orders'].post.responses).not.toHaveProperty('200');
    expect(o.components.schemas.Error.properties.error.properties).toHaveProperty('head');
  });

  it('plugin fragments are checked: no paths (routes carry schemas), no schema clashes, known steps, well-formed codes', () => {
    const check =
      (fragment: PluginOpenApi, taken = new Set(NODE_SCHEMAS)) =>
      () =>
        checkPluginOpenApi('p', fragment, taken);
    expect(
      check({
        schemas: { 'p.X': {} },
        steps: { order: { summary: '', content: {}, reply: {} } },
        errorCodes: ['p_busy'],
      }),
    ).not.toThrow();
    expect(check({ paths: { '/../../v1/orders': {} } } as PluginOpenApi)).toThrow(
      /plugin "p": openapi "paths" is no longer read/,
    );
    expect(check({ schemas: { 'p.X': 3 as unknown as object } })).toThrow(/schema "p.X" is not an object/);
    expect(check({ steps: { order: { summary: '' } } } as unknown as PluginOpenApi)).toThrow(/step "order" needs/);
    expect(check({ schemas: { Error: {} } })).toThrow(/schema "Error" is already defined/);
    expect(check({ schemas: { 'a b': {} } })).toThrow(/schema name/);
    expect(check({ steps: { cancel: { summary: '', content: {}, reply: {} } } as PluginOpenApi['steps'] })).toThrow(
      /step "cancel"/,
    );
    expect(check({ errorCodes: ['Bad Code'] })).toThrow(/error code/);
    const taken = new Set(NODE_SCHEMAS);
    checkPluginOpenApi('p', { steps: { order: { summary: '', content: {}, reply: {} } } }, taken);
    expect(() => checkPluginOpenApi('q', { schemas: { 'p.order': {} } }, taken)).toThrow(
      /"p.order" is already defined/,
    );
  });

  it('GET /openapi.json lists the error codes', async () => {
    const o = await (await fetch(`${node.url}/openapi.json`)).json();
    expect(o.openapi).toBe('3.1.0');
    expect(Object.keys(o.paths)).toEqual(
      expect.arrayContaining([
        '/v1/status',
        '/.well-known/dta',
        '/v1/identities',
        '/v1/identities/{cid}',
        '/v1/orders',
        '/v1/orders/{id}',
        '/v1/orders/{id}/redeem',
      ]),
    );
    expect(o.components.schemas.Error.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(['replay', 'stale', 'not_beneficiary']),
    );
  });

  it('no CORS headers when no origin is configured', async () => {
    const res = await fetch(`${node.url}/v1/status`, { headers: { origin: 'http://localhost:4173' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('identities', () => {
  it('registers (201, then 200) and looks up documents, as JSON or CBOR', async () => {
    const carol = await clientIdentity('carol');
    const first = await post('/v1/identities', Buffer.from(carol.identity.bytes), 'application/cbor');
    expect(first.status).toBe(201);
    expect(first.json.cid).toBe(carol.identity.cid.toString());
    expect((await post('/v1/identities', JSON.stringify({ identity: b64(carol.identity.bytes) }))).status).toBe(200);
    const got = await fetch(`${node.url}/v1/identities/${carol.identity.cid}`, {
      headers: { accept: 'application/cbor' },
    });
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(carol.identity.bytes))).toBe(true);
    expect((await asAlice.identity(carol.identity.cid)).value.name).toBe('carol');
    const missing = await fetch(`${node.url}/v1/identities/${eve.identity.cid}`);
    expect([missing.status, (await missing.json()).error.code]).toEqual([404, 'not_found']);
  });

  it('refuses documents that do not verify', async () => {
    await refused('/v1/identities', JSON.stringify({ identity: b64(enc('not cbor at all')) }), 400, 'malformed');
    const doc = dagCbor.decode(eve.identity.bytes) as { name: string };
    doc.name = 'eve the impostor'; // the self-signature no longer covers the document
    await refused('/v1/identities', Buffer.from(dagCbor.encode(doc)), 401, 'bad_signature', 'application/cbor');
    const bad = dagCbor.decode(eve.identity.bytes) as { keys: { bls: Uint8Array } };
    bad.keys.bls = new Uint8Array(48).fill(0x9a); // not a point of G1
    await refused('/v1/identities', Buffer.from(dagCbor.encode(bad)), 401, 'bad_signature', 'application/cbor');
  });
});

describe('safeguard', () => {
  it('deposit: only the named beneficiary retrieves the secret, sealed to it; the chain is complete', async () => {
    const core = await sharedCore();
    const secret = enc('correct horse battery staple');
    const { reply, content } = await orderSafeguardWith(asAlice, {
      beneficiary: bob.identity.cid,
      secret,
      label: 'wifi',
    });
    expect(reply.status).toBe('open');
    const c = content as { order: string; size: number; generated: boolean; commitment: Uint8Array; label: string };
    expect([c.order, c.size, c.generated, c.label]).toEqual([reply.order, secret.length, false, 'wifi']);
    await expect(asMallory.redeem('safeguard', reply.order)).rejects.toMatchObject({
      status: 403,
      code: 'not_beneficiary',
    });
    const redeemed = await asBob.redeem('safeguard', reply.order);
    const r = redeemed.content as { secret: Uint8Array; commitment: Uint8Array };
    expect(Buffer.from(r.secret).toString()).toBe('correct horse battery staple');
    expect(Buffer.from(r.commitment).equals(Buffer.from(c.commitment))).toBe(true);
    const prefix = enc('dta/safeguard/v1 commitment\0');
    expect(
      Buffer.from(core.hash.sha256(Buffer.concat([prefix, enc(reply.order), secret]))).equals(
        Buffer.from(c.commitment),
      ),
    ).toBe(true);
    // the redeem reply is sealed to bob only: alice cannot open it
    await expect(asAlice.openReply(redeemed.reply)).rejects.toMatchObject({ name: 'NotRecipientError' });
    const order = await asAlice.api.order(reply.order);
    expect(order.order.status).toBe('redeemed');
    expect(order.history.map((h) => h.type)).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
  });

  it('generate: the node draws the secret; the principal never sees it, the beneficiary gets it once', async () => {
    const { reply, content } = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 32 });
    expect(content).not.toHaveProperty('secret');
    const got = (await asBob.redeem('safeguard', reply.order)).content as { secret: Uint8Array };
    expect(got.secret.length).toBe(32);
    await expect(asBob.redeem('safeguard', reply.order)).rejects.toMatchObject({ status: 409, code: 'conflict' });
  });

  it('a principal can name itself as beneficiary', async () => {
    const { reply } = await orderSafeguardWith(asAlice, { beneficiary: alice.identity.cid, secret: enc('mine') });
    expect(
      Buffer.from(
        ((await asAlice.redeem('safeguard', reply.order)).content as { secret: Uint8Array }).secret,
      ).toString(),
    ).toBe('mine');
  });
});

describe('bad input: 4xx {error: {code, message}}, no state change, the node keeps serving', () => {
  // With its intent (sealed to the node and the beneficiary), the secret drawn by the node: no deposit to build.
  const order = (content: unknown = { beneficiary: bob.identity.cid, generate: 16 }, to: KeyIdentity = bob) => ({
    type: 'safeguard/order',
    content,
    intentFor: to.identity,
  });

  it('malformed JSON, base64, CBOR and envelopes', async () => {
    await refused('/v1/orders', '{"envelope": ', 400, 'malformed');
    await refused('/v1/orders', '', 400, 'malformed');
    await refused('/v1/orders', JSON.stringify({ envelope: 'not base64!' }), 400, 'malformed');
    await refused('/v1/orders', JSON.stringify({ envelope: b64(enc('x')), extra: 1 }), 400, 'malformed');
    await refused('/v1/orders', JSON.stringify([1, 2]), 400, 'malformed');
    await refused('/v1/orders', Buffer.from([0xa1, 0x61, 0x61, 0xff]), 400, 'malformed', 'application/cbor');
    const env = await asAlice.request(order());
    await refused(
      '/v1/orders',
      Buffer.from(env.bytes.subarray(0, env.bytes.length - 10)),
      400,
      'malformed',
      'application/cbor',
    );
    const noSig = dagCbor.decode(env.bytes) as Record<string, unknown>;
    delete noSig.signature;
    await refused('/v1/orders', Buffer.from(dagCbor.encode(noSig)), 400, 'malformed', 'application/cbor');
    await refused('/v1/orders', 'hello', 415, 'unsupported_media_type', 'text/plain');
  });

  it('a bad signature, or one by someone other than the sender', async () => {
    const env = dagCbor.decode((await asAlice.request(order())).bytes) as { signature: Uint8Array };
    const forged = (await asMallory.request(order())).bytes;
    env.signature = (dagCbor.decode(forged) as { signature: Uint8Array }).signature; // mallory's signature on alice's envelope
    await refused('/v1/orders', envJson(dagCbor.encode(env)), 401, 'bad_signature');
    env.signature = new Uint8Array(96).fill(7); // not even a point
    await refused('/v1/orders', envJson(dagCbor.encode(env)), 401, 'bad_signature');
    const core = await sharedCore();
    const impostor = await createEnvelope(core.bls, mallory.secrets.bls, {
      type: 'safeguard/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(node.rt.identity)],
      sealed: true,
      content: order().content,
    });
    await refused('/v1/orders', envJson(impostor.bytes), 401, 'bad_signature');
  });

  it('an unknown sender, an envelope addressed to someone else, an unknown plugin, a wrong step', async () => {
    await refused(
      '/v1/orders',
      envJson((await (await clientOf(node.url, eve)).request(order())).bytes),
      401,
      'unknown_identity',
    );
    const core = await sharedCore();
    const toBob = await createEnvelope(core.bls, alice.secrets.bls, {
      type: 'safeguard/order',
      sender: alice.identity.cid,
      recipients: [recipientOf(bob.identity)],
      sealed: true,
      content: order().content,
    });
    await refused('/v1/orders', envJson(toBob.bytes), 403, 'not_addressed');
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ type: 'nosuch/order', content: {} })).bytes),
      404,
      'unknown_plugin',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ type: 'echo/order', content: {} })).bytes),
      404,
      'unknown_plugin',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ type: 'safeguard/redeem', content: {} })).bytes),
      400,
      'bad_request',
    );
    await refused('/v1/plugins/nosuch/x', '{}', 404, 'not_found');
  });

  it('stale and future requests', async () => {
    const now = Date.now();
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ ...order(), created: now - 6 * 60_000 })).bytes),
      401,
      'stale',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ ...order(), created: now + 6 * 60_000 })).bytes),
      401,
      'stale',
    );
  });

  it('plugin content checks: a plain order carrying a secret, unknown fields, an unknown beneficiary', async () => {
    await refused(
      '/v1/orders',
      envJson((await asAlice.request({ ...order(), sealed: false })).bytes),
      400,
      'bad_request',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request(order({ beneficiary: bob.identity.cid, secret: enc('s'), extra: 1 }))).bytes),
      400,
      'malformed',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request(order({ beneficiary: bob.identity.cid, generate: 1000 }))).bytes),
      400,
      'malformed',
    );
    await refused(
      '/v1/orders',
      envJson((await asAlice.request(order({ beneficiary: eve.identity.cid, generate: 16 }, eve))).bytes),
      400,
      'bad_request',
    );
  });

  it('oversize bodies', async () => {
    const big = new Uint8Array(200 * 1024);
    await refused('/v1/orders', Buffer.from(big), 413, 'body_too_large', 'application/cbor');
    await refused('/v1/orders', JSON.stringify({ envelope: b64(big) }), 413, 'body_too_large');
    await refused('/v1/identities', Buffer.from(big), 413, 'body_too_large', 'application/cbor');
  });

  it('replays: a committed order or redemption sent again is 409 replay naming the order and the reply step, nothing changes', async () => {
    const env = await asAlice.request(order());
    const first = await post('/v1/orders', envJson(env.bytes));
    expect([first.status, first.json.replayed]).toEqual([201, false]);
    const again = await refused('/v1/orders', Buffer.from(env.bytes), 409, 'replay', 'application/cbor');
    expect(again.error).toEqual({
      code: 'replay',
      message: expect.any(String),
      order: first.json.order,
      head: first.json.cid,
    });
    const view = await asAlice.api.order(first.json.order);
    expect(view.history.map((h) => h.cid)).toEqual([env.cid.toString(), first.json.cid]);

    const redeem = await asBob.request({
      type: 'safeguard/redeem',
      content: {},
      order: first.json.order,
      previous: CID.parse(first.json.cid),
    });
    const redeemed = await post(`/v1/orders/${first.json.order}/redeem`, envJson(redeem.bytes));
    expect([redeemed.status, redeemed.json.status]).toEqual([200, 'redeemed']);
    const twice = await refused(`/v1/orders/${first.json.order}/redeem`, envJson(redeem.bytes), 409, 'replay');
    expect(twice.error).toMatchObject({ order: first.json.order, head: redeemed.json.cid });
    // the order envelope after the redemption: still the reply committed to it, not the order's new head
    expect((await refused('/v1/orders', envJson(env.bytes), 409, 'replay')).error.head).toBe(first.json.cid);
  });

  it('replays: the client reads a lost reply back from the order history and carries on (same secret)', async () => {
    const env = await asAlice.request(order({ beneficiary: bob.identity.cid, generate: 32 }));
    const first = (await asAlice.postOrder(env)).reply;
    expect(first.replayed).toBe(false);
    const recovered = (await asAlice.postOrder(env)).reply; // as after a reply lost to a crash
    expect(recovered).toEqual({ ...first, replayed: true });
    expect(await asAlice.openReply(recovered, env.cid)).toEqual(await asAlice.openReply(first, env.cid));
    const redeem = await asBob.request({
      type: 'safeguard/redeem',
      content: {},
      order: first.order,
      previous: CID.parse(first.cid),
    });
    const got = (await asBob.openReply((await asBob.postRedeem(first.order, redeem)).reply, redeem.cid)) as {
      secret: Uint8Array;
    };
    const back = (await asBob.postRedeem(first.order, redeem)).reply;
    expect([back.replayed, back.status]).toEqual([true, 'redeemed']);
    const again = (await asBob.openReply(back, redeem.cid)) as { secret: Uint8Array };
    expect([again.secret.length, Buffer.from(again.secret).equals(Buffer.from(got.secret))]).toEqual([32, true]);
  });

  it('replays: a committed request retried after the freshness window is still a replay, not stale', async () => {
    let clock = Date.now();
    await makeHome(join(tmp.dir, 'clock'), { name: 'clock' });
    const n = await startInProcess(join(tmp.dir, 'clock'), { plugins: [safeguard], now: () => clock });
    try {
      const c = await clientOf(n.url, alice);
      await c.api.registerIdentity(alice.identity.bytes);
      await c.api.registerIdentity(bob.identity.bytes);
      const env = await c.request(order());
      const first = (await c.postOrder(env)).reply;
      clock += 60 * 60_000;
      const res = await fetch(`${n.url}/v1/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: envJson(env.bytes),
      });
      expect([res.status, (await res.json()).error]).toEqual([
        409,
        expect.objectContaining({ code: 'replay', order: first.order, head: first.cid }),
      ]);
      expect((await c.postOrder(env)).reply.cid).toBe(first.cid);
    } finally {
      await n.close();
    }
  });

  it('a plugin route refuses a second use of an envelope', async () => {
    const say = await asAlice.request({ type: 'echo/say', content: { text: 'hi' } });
    expect((await post('/v1/plugins/echo/say', envJson(say.bytes))).json).toEqual({
      from: alice.identity.cid.toString(),
      said: 'hi',
    });
    await refused('/v1/plugins/echo/say', envJson(say.bytes), 409, 'replay');
  });

  it('redeem: wrong beneficiary, unknown or malformed order id, wrong link, another order, already redeemed', async () => {
    const { reply } = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, secret: enc('s') });
    const head = CID.parse(reply.cid);
    const redeemAs = async (
      who: NodeSession,
      init: Partial<{ order: string; previous: CID | null; type: string }> = {},
    ) =>
      envJson(
        (await who.request({ type: 'safeguard/redeem', content: {}, order: reply.order, previous: head, ...init }))
          .bytes,
      );
    await refused(`/v1/orders/${reply.order}/redeem`, await redeemAs(asMallory), 403, 'not_beneficiary');
    await refused(`/v1/orders/${reply.order}/redeem`, await redeemAs(asAlice), 403, 'not_beneficiary');
    await refused(`/v1/orders/${bob.identity.cid}/redeem`, await redeemAs(asBob), 404, 'not_found');
    await refused('/v1/orders/..%2Fetc/redeem', await redeemAs(asBob), 400, 'malformed');
    await refused(
      `/v1/orders/${reply.order}/redeem`,
      await redeemAs(asBob, { previous: CID.parse(reply.order).equals(head) ? null : bob.identity.cid }),
      400,
      'bad_request',
    );
    const other = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, secret: enc('t') });
    await refused(`/v1/orders/${other.reply.order}/redeem`, await redeemAs(asBob), 400, 'bad_request');
    await refused(
      `/v1/orders/${reply.order}/redeem`,
      await redeemAs(asBob, { type: 'safeguard/order' }),
      400,
      'bad_request',
    );
    const ok = await post(`/v1/orders/${reply.order}/redeem`, await redeemAs(asBob));
    expect(ok.status).toBe(200);
    await refused(`/v1/orders/${reply.order}/redeem`, await redeemAs(asBob), 409, 'conflict');
  });

  it('unknown routes and methods', async () => {
    const res = await fetch(`${node.url}/v2/nothing`);
    expect([res.status, (await res.json()).error.code]).toEqual([404, 'not_found']);
    const del = await fetch(`${node.url}/v1/orders`, { method: 'DELETE' });
    expect(del.status).toBe(404);
  });
});

describe('CORS', () => {
  it('answers only the configured origins', async () => {
    await makeHome(join(tmp.dir, 'cors'), { config: { corsOrigins: ['http://localhost:4173'] } });
    const n = await startInProcess(join(tmp.dir, 'cors'), { plugins: [safeguard] });
    try {
      const pre = (origin: string) =>
        fetch(`${n.url}/v1/orders`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      expect((await pre('http://localhost:4173')).headers.get('access-control-allow-origin')).toBe(
        'http://localhost:4173',
      );
      expect((await pre('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const get = await fetch(`${n.url}/v1/status`, { headers: { origin: 'https://evil.example' } });
      expect(get.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await n.close();
    }
  });
});

describe('plugin settings (config.json "plugins": {"<name>": {...}})', () => {
  /** A plugin that shows the settings it was given, and whether it could change them. */
  const probe: DtaPlugin = {
    name: 'probe',
    version: '0.0.1',
    async routes(app, ctx) {
      app.get('/settings', { schema: { summary: 'the settings this plugin was given' } }, async () => {
        let changed = true;
        try {
          (ctx.config as { a: number }).a = 2;
        } catch {
          changed = false;
        }
        return { config: ctx.config ?? null, changed };
      });
    },
  };
  const homeWith = async (name: string, plugins: unknown) => makeHome(join(tmp.dir, name), { config: { plugins } });

  it('each plugin gets its own object as ctx.config, frozen', async () => {
    const settings = { a: 1, nested: { list: [1, 2] } };
    const n = await startInProcess(await homeWith('probe', { probe: settings, safeguard: {} }), {
      plugins: [probe, safeguard],
    });
    try {
      const r = await (await fetch(`${n.url}/v1/plugins/probe/settings`)).json();
      expect(r).toEqual({ config: settings, changed: false });
    } finally {
      await n.close();
    }
  });

  it('refuses at start: settings for a plugin not running here, an unknown plugin, settings the plugin refuses', async () => {
    await expect(
      startInProcess(await homeWith('absent', { probe: {}, nosuch: {} }), { plugins: [probe] }),
    ).rejects.toThrow(/settings for plugin "nosuch", which does not run on this node \(plugins: probe\)/);
    await expect(startInProcess(await homeWith('unknown', { nosuch: {} }))).rejects.toThrow(
      /unknown plugin "nosuch" \(built in: safeguard, bitcoin, mpin, custody\)/,
    );
    await expect(
      startInProcess(await homeWith('badmpin', { mpin: { authServer: { issuers: 'all' } } })),
    ).rejects.toThrow(/^plugin "mpin": authServer\.issuers: expected a list/);
  });
});
