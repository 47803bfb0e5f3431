// The harness itself: the built app is served on http://localhost, a node started for it answers the page
// (CORS for the app's origin only), a node serving the app itself works with it (its largest JS asset sent
// compressed), and the page stays on loopback.
import { readdir, readFile, stat } from 'node:fs/promises';
import { get } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addNode, createIdentity, nodeItem, openApp } from './app.ts';
import { type AppContext, newAppContext } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let device: AppContext;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'fiduciary', corsOrigins: [world.app.origin] });
  device = await newAppContext(world.browser, world.cleanup);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** GET `url` with gzip asked for, the body as sent on the wire (node:http does not decode). */
function gzipGet(url: string): Promise<{ status: number; encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'],
          body: Buffer.concat(chunks),
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
  });
}

/** The node serving the build sends its largest JS asset gzip-compressed, decoding to exactly the file. */
async function expectLargestScriptCompressed(nodeUrl: string, appDir: string): Promise<void> {
  const assets = join(appDir, 'assets');
  const scripts = (await readdir(assets)).filter((n) => n.endsWith('.js'));
  const sized = await Promise.all(scripts.map(async (n) => [n, (await stat(join(assets, n))).size] as const));
  const [largest] = sized.sort((a, b) => b[1] - a[1])[0]!;
  const file = await readFile(join(assets, largest));
  const r = await gzipGet(`${nodeUrl}/assets/${largest}`);
  expect([r.status, r.encoding]).toEqual([200, 'gzip']);
  expect(gunzipSync(r.body).equals(file)).toBe(true);
  expect(r.body.length).toBeLessThan(file.length * 0.75); // word lists and wasm compress less than code
}

describe('e2e harness', () => {
  it('serves the built app on localhost', async () => {
    const page = await device.newPage();
    const res = await page.goto(`${world.app.origin}/`);
    expect(res?.status()).toBe(200);
    expect(new URL(page.url()).hostname).toBe('localhost');
    expect(await page.title()).not.toBe('');
  });

  it('the node answers the app origin and no other', async () => {
    expect((await getJson(node, '/v1/status')).body).toMatchObject({ identity: node.cid });
    const page = await device.newPage();
    await page.goto(`${world.app.origin}/`);
    const call = (url: string) =>
      page.evaluate(async (u) => {
        try {
          return (await fetch(u, { signal: AbortSignal.timeout(10_000) })).status;
        } catch (e) {
          return (e as Error).name;
        }
      }, url);
    expect(await call(`${node.url}/v1/status`)).toBe(200);
    // The same page opened from 127.0.0.1 is another origin: the browser must refuse to read the reply.
    await page.goto(`http://127.0.0.1:${world.app.port}/`);
    expect(await call(`${node.url}/v1/status`)).toBe('TypeError');
  });

  it('a node serves the app itself: opened at the node, the app adds that node (same origin, no CORS) and sees it online', async () => {
    const host = await startE2eNode(world.cleanup, { name: 'host node', corsOrigins: [], appRoot: inject('appDir') });
    const origin = host.url.replace('127.0.0.1', 'localhost');
    const page = await device.newPage();
    await openApp(page, origin);
    await createIdentity(page, 'Hana');
    await addNode(page, origin);
    const item = nodeItem(page, origin);
    await expect(item.getByTestId('node-identity').locator('code').textContent()).resolves.toBe(host.cid);
    await item.getByRole('button', { name: 'Check status' }).click();
    await item.locator('[data-testid="node-status"][data-status="up"]').waitFor({ timeout: LIMITS.slowMs });
    await page.close();
    await expectLargestScriptCompressed(host.url, inject('appDir'));
  });

  it('no request left loopback', () => {
    expect(device.external).toEqual([]);
  });
});
