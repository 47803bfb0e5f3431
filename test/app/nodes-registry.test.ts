/**
 * Nodes in the app: URLs as stored, the HTTP layer's errors (node refusals,
 * unreachable nodes with the CORS hint, time limits, base64), adding a real
 * node (its identity verified, the fingerprint the keys screen uses too, our
 * identity registered), a node that changes identity, status, removal.
 */
import { writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeNodeUrl, sameServerOrigin } from '../../src/app/api/node-api.ts';
import { fingerprint } from '../../src/app/nodes/model.ts';
import { addNode, checkStatus, getNode, listNodes, removeNode, sessionFor } from '../../src/app/nodes/registry.ts';
import { request } from '../../src/core/api/http.ts';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { fromBase64, fromHex, printableText, toBase64, toHex } from '../../src/core/bytes.ts';
import { BadEncodingError } from '../../src/core/errors.ts';
import { initHome } from '../../src/node/home.ts';
import { fingerprintOf } from '../../src/worker/api/protocol.ts';
import { makeHome, PASS, type RunningNode, sharedCore, startInProcess, tempDir } from '../node/harness.ts';
import { type Device, device } from './orders-world.ts';

const cleanups: Array<() => Promise<void>> = [];
let one: RunningNode, two: RunningNode;
let alice: Device;

beforeAll(async () => {
  const homes = await Promise.all(
    ['one', 'two'].map(async (n) => {
      const t = await tempDir(`dta-app-nodes-${n}-`);
      cleanups.push(t.cleanup);
      return makeHome(t.dir, { name: `node ${n}` });
    }),
  );
  one = await startInProcess(homes[0]!);
  two = await startInProcess(homes[1]!);
  cleanups.push(
    () => one.close(),
    () => two.close(),
  );
  alice = await device('alice');
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

describe('bytes and URLs', () => {
  it('base64 and hex round trips; non-canonical base64 refused', () => {
    for (const n of [0, 1, 2, 3, 4, 31, 32, 33]) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(fromBase64(toBase64(b))).toEqual(b);
      expect(toBase64(b)).toBe(Buffer.from(b).toString('base64'));
      expect(fromHex(toHex(b))).toEqual(b);
    }
    expect(() => fromBase64('QQ')).toThrow(BadEncodingError);
    expect(() => fromBase64('QR==')).toThrow(BadEncodingError);
    expect(printableText(new TextEncoder().encode('line 1\nline 2'))).toBe('line 1\nline 2');
    expect(printableText(Uint8Array.of(0xff, 0x00))).toBeUndefined();
  });

  it('node URLs: scheme added, trailing slashes dropped; credentials, queries and other schemes refused', () => {
    expect(normalizeNodeUrl(' 127.0.0.1:5556/ ')).toBe('http://127.0.0.1:5556');
    expect(normalizeNodeUrl('https://dta.example.org/base//')).toBe('https://dta.example.org/base');
    for (const bad of ['ftp://x', 'http://u:p@x', 'http://x/?a=1', 'http://x/#y', 'http://']) {
      expect(() => normalizeNodeUrl(bad)).toThrow(expect.objectContaining({ name: 'InputError' }));
    }
  });
});

describe('HTTP errors', () => {
  const reply = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });

  it("the node's error shape becomes NodeApiError with its code and details", async () => {
    await expect(
      request(reply(409, { error: { code: 'replay', message: 'used', order: 'o', head: 'h' } }), 'http://n/x'),
    ).rejects.toMatchObject({ name: 'NodeApiError', status: 409, code: 'replay', details: { order: 'o', head: 'h' } });
    await expect(request(async () => new Response('<html>', { status: 502 }), 'http://n/x')).rejects.toMatchObject({
      name: 'NodeApiError',
      code: 'http_502',
    });
  });

  it('an unreachable node (or one refusing this origin) is a NodeUnreachableError that names corsOrigins', async () => {
    const err = await request(async () => {
      throw new TypeError('Failed to fetch');
    }, 'http://n/x').catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'NodeUnreachableError', timedOut: false });
    expect((err as Error).message).toContain('corsOrigins');
    const refused = await new NodeApi('http://127.0.0.1:9').status({ timeoutMs: 3000 }).catch((e: Error) => e);
    expect((refused as Error).name).toBe('NodeUnreachableError');
  });

  it("a loopback node under another name than the page's own is pointed out (CORS applies to it)", () => {
    expect(sameServerOrigin('http://127.0.0.1:5556', 'http://localhost:5556')).toBe('http://localhost:5556');
    expect(sameServerOrigin('http://localhost:5556', 'http://localhost:5556')).toBeUndefined();
    expect(sameServerOrigin('http://127.0.0.1:5557', 'http://localhost:5556')).toBeUndefined();
    expect(sameServerOrigin('http://dta.example.org', 'http://localhost')).toBeUndefined();
    expect(sameServerOrigin('http://127.0.0.1:5556', undefined)).toBeUndefined();
  });

  it('a node that does not answer in time', async () => {
    const slow = (_: string, init: RequestInit) =>
      new Promise<Response>((_r, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    await expect(request(slow, 'http://n/x', { timeoutMs: 50 })).rejects.toMatchObject({
      name: 'NodeUnreachableError',
      timedOut: true,
    });
  });

  it('replies of the wrong shape are ReplyErrors', async () => {
    await expect(new NodeApi('http://n', { fetch: reply(200, { type: 'x' }) }).discovery()).rejects.toMatchObject({
      name: 'ReplyError',
    });
    await expect(new NodeApi('http://n', { fetch: reply(200, { identity: 'x' }) }).status()).rejects.toMatchObject({
      name: 'ReplyError',
    });
  });
});

/** A node whose identity document lists its HTTP endpoint (as `dta init` writes it), on a port chosen first. */
async function nodeListing(): Promise<RunningNode> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const t = await tempDir('dta-app-nodes-listed-');
  cleanups.push(t.cleanup);
  const url = `http://127.0.0.1:${port}`;
  await initHome(await sharedCore(), t.dir, PASS, { name: 'listed', scryptLogN: 14, endpoints: { http: [url] } });
  await writeFile(join(t.dir, 'config.json'), JSON.stringify({ port, listen: [], maxEventLoopDelayMs: 0 }));
  const node = await startInProcess(t.dir);
  cleanups.push(() => node.close());
  expect(node.url).toBe(url);
  return node;
}

describe('the nodes registry', () => {
  it('adds a node by URL: identity verified, fingerprint as on the keys screen, our identity registered', async () => {
    const { node, warnings } = await addNode(alice.deps, `${one.url}/`);
    expect(warnings).toEqual([]);
    expect(node).toMatchObject({ url: one.url, identity: one.rt.identity.cid.toString(), name: 'node one' });
    expect(node.fingerprint).toBe(fingerprintOf(one.rt.identity.bytes));
    expect(node.fingerprint).toBe(fingerprint(one.rt.identity.cid));
    expect(node.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(node.libp2p.some((a) => a.includes('/ws/p2p/'))).toBe(true);
    expect(node.plugins).toEqual(expect.arrayContaining(['safeguard', 'bitcoin', 'mpin']));
    const known = await fetch(`${one.url}/v1/identities/${alice.cid}`);
    expect(known.status).toBe(200);
  });

  it('added under localhost, a node whose identity lists 127.0.0.1 gives no warning; another name is explained', async () => {
    const listed = await nodeListing();
    const alias = listed.url.replace('127.0.0.1', 'localhost');
    expect((await addNode(alice.deps, alias)).warnings).toEqual([]);
    await removeNode(alice.deps, alias);
    // The same node reached under a name its identity does not list (a proxy, or a mistake): said in plain words.
    const viaProxy = (input: string | URL | Request, init?: RequestInit) =>
      fetch(String(input).replace('http://proxy.test', listed.url), init);
    const { warnings } = await addNode({ ...alice.deps, fetch: viaProxy }, 'http://proxy.test');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`this node says its address is ${listed.url}, not http://proxy.test`);
    await removeNode(alice.deps, 'http://proxy.test');
  });

  it("a node URL with a path is refused in plain words: the node's address without a path", async () => {
    await expect(addNode(alice.deps, `${one.url}/v1/status`)).rejects.toMatchObject({
      name: 'InputError',
      message: `no node answers at this path: use the node's address without a path (${one.url})`,
    });
  });

  it('adding it again keeps it once; a locked identity only delays the registration', async () => {
    alice.setLocked(true);
    try {
      const { warnings } = await addNode(alice.deps, one.url);
      expect(warnings).toHaveLength(1);
    } finally {
      alice.setLocked(false);
    }
    expect((await listNodes(alice.deps)).map((n) => n.url)).toEqual([one.url]);
  });

  it('a node that now presents another identity is refused until the person accepts it', async () => {
    // The same URL answering with the other node's discovery document (a replaced or impersonated node).
    const swapped: typeof fetch = (input, init) => fetch(String(input).replace(one.url, two.url), init);
    const swappedDeps = { ...alice.deps, fetch: swapped };
    await expect(addNode(swappedDeps, one.url)).rejects.toMatchObject({
      name: 'IdentityChangedError',
      expected: one.rt.identity.cid.toString(),
    });
    await expect(sessionFor(swappedDeps, one.url)).rejects.toMatchObject({ name: 'IdentityChangedError' });
    expect((await getNode(alice.deps, one.url))!.identity).toBe(one.rt.identity.cid.toString());
    const replaced = await addNode(swappedDeps, one.url, { replace: true });
    expect(replaced.node.identity).toBe(two.rt.identity.cid.toString());
    await addNode(alice.deps, one.url, { replace: true });
  });

  it('status: reachable with its identity; unreachable with a reason; both stored', async () => {
    const up = await checkStatus(alice.deps, one.url);
    expect(up).toMatchObject({ reachable: true, identityMatches: true });
    expect(typeof up.version).toBe('string');
    const down = await checkStatus(
      {
        ...alice.deps,
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      },
      one.url,
    );
    expect(down).toMatchObject({ reachable: false });
    expect((await getNode(alice.deps, one.url))!.status).toMatchObject({ reachable: false });
    await expect(checkStatus(alice.deps, 'http://127.0.0.1:1')).rejects.toMatchObject({ name: 'NotReadyError' });
  });

  it('removes a node', async () => {
    await addNode(alice.deps, two.url);
    await removeNode(alice.deps, two.url);
    expect((await listNodes(alice.deps)).map((n) => n.url)).toEqual([one.url]);
  });
});
