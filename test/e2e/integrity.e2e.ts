// An app a user can check (issue 17, items 2 and 4) in Chromium:
//  - the build hash: written by each build, the one scripts/build-hash.ts computes; the same sources built twice
//    at once into other directories give byte-identical output (a reproducible build);
//  - the worker CSP: a module worker served by the app's server can compile wasm and reach its own origin and
//    a node (loopback http here), but can neither eval, nor load a script from another origin, nor talk plain
//    http to a host off this machine (127.0.0.2 stands for one); the same worker served with no CSP can do all
//    of it (the control: what the review found);
//  - no silent update: a second build of the app (a real vite build, differing in one meta tag) swapped in
//    under the same server is offered by a prompt naming its build hash; closing every tab without answering
//    keeps the old build on the next open (its hash in About); accepting the prompt switches to the new one.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildHashOf } from '../../scripts/build-hash.ts';
import { APP_WORKER_CSP } from '../../src/node/http/app-headers.ts';
import { appStatic } from '../../src/node/http/app-static.ts';
import { goTo, openApp, waitForCore } from './app.ts';
import { type AppServer, BUILD_MS, ROOT, serveApp } from './app-build.ts';
import { type AppContext, newAppContext, screenshots, waitForServiceWorker } from './browser.ts';
import { LIMITS, withTimeout } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;
/** The build being served: a copy of the suite's build, later overwritten by the second build. */
let served: string;
let server: AppServer;
let secondBuild: string;
/** The second build made again, at the same time from the same sources: it must be byte-identical. */
let secondAgain: string;
let firstHash: string;
let secondHash: string;
const devices: AppContext[] = [];

const MARKER = 'dta-e2e-second-build';

/** A second, real build of the app: the same sources and config, plus one meta tag in index.html. */
async function buildSecond(outDir: string): Promise<void> {
  const marker = {
    name: 'e2e-second-build',
    transformIndexHtml: (html: string) => html.replace('</head>', `<meta name="${MARKER}" content="yes"></head>`),
  };
  await withTimeout(
    build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      logLevel: 'error',
      plugins: [marker],
      build: { outDir, emptyOutDir: true },
    }),
    BUILD_MS,
    'the second vite build',
  );
}

const hashOfFile = async (dir: string): Promise<string> =>
  (JSON.parse(await readFile(join(dir, 'build-hash.json'), 'utf8')) as { hash: string }).hash;

beforeAll(async () => {
  world = await startWorld();
  served = await mkdtemp(join(tmpdir(), 'dta-e2e-served-'));
  secondBuild = await mkdtemp(join(tmpdir(), 'dta-e2e-second-'));
  secondAgain = await mkdtemp(join(tmpdir(), 'dta-e2e-again-'));
  world.cleanup.add('the served and second builds', async () => {
    await rm(served, { recursive: true, force: true });
    await rm(secondBuild, { recursive: true, force: true });
    await rm(secondAgain, { recursive: true, force: true });
  });
  await cp(inject('appDir'), served, { recursive: true });
  server = await serveApp(served);
  world.cleanup.add('the swap server', () => server.close());
  await Promise.all([buildSecond(secondBuild), buildSecond(secondAgain)]);
  firstHash = await hashOfFile(served);
  secondHash = await hashOfFile(secondBuild);
}, BUILD_MS + 60_000);

afterAll(async () => {
  await world?.cleanup.run();
});

async function newDevice(): Promise<AppContext> {
  const d = await newAppContext(world.browser, world.cleanup);
  devices.push(d);
  return d;
}

/**
 * A plain HTTP server on another origin that any page may read (CORS *), on `host`: a text at / and a module at
 * /mod.js.
 */
async function otherOrigin(host: string): Promise<string> {
  const other: Server = createServer((req, res) => {
    const script = req.url === '/mod.js';
    res.writeHead(200, {
      'access-control-allow-origin': '*',
      'content-type': script ? 'text/javascript' : 'text/plain',
    });
    res.end(script ? 'export const answer = 42;' : 'other origin');
  });
  await new Promise<void>((resolve) => other.listen(0, host, resolve));
  world.cleanup.add(`the other origin on ${host}`, () => new Promise((resolve) => other.close(resolve)));
  return `http://${host}:${(other.address() as AddressInfo).port}/`;
}

/**
 * A module worker that tries what the worker CSP forbids and what it allows, and reports each outcome: `node` is a
 * node on loopback (allowed: the worker talks to nodes), `far` plain http to a host that is not this machine's
 * 127.0.0.1 or localhost.
 */
function probeScript(node: string, far: string): string {
  return `const out = {};
try { out.eval = String(eval('1 + 1')); } catch (e) { out.eval = e.name; }
try { out.fn = String(new Function('return 2')()); } catch (e) { out.fn = e.name; }
try { out.script = String((await import(${JSON.stringify(`${node}mod.js`)})).answer); } catch (e) { out.script = e.name; }
try { out.node = String((await fetch(${JSON.stringify(node)})).status); } catch (e) { out.node = e.name; }
try { out.far = String((await fetch(${JSON.stringify(far)})).status); } catch (e) { out.far = e.name; }
try { out.self = String((await fetch('/build-hash.json')).status); } catch (e) { out.self = e.name; }
try { await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])); out.wasm = 'compiled'; }
catch (e) { out.wasm = e.name; }
postMessage(out);
`;
}

function runProbe(page: Page): Promise<Record<string, string>> {
  return page.evaluate(
    () =>
      new Promise<Record<string, string>>((resolve, reject) => {
        const w = new Worker('/assets/csp-probe.js', { type: 'module' });
        const timer = setTimeout(() => reject(new Error('the probe worker did not answer')), 10_000);
        w.onmessage = (e) => {
          clearTimeout(timer);
          w.terminate();
          resolve(e.data as Record<string, string>);
        };
        w.onerror = (e) => reject(new Error(`probe worker: ${e.message}`));
      }),
  );
}

/** The running build's hash, as About shows it. */
async function aboutHash(page: Page): Promise<string> {
  await goTo(page, '/about', 'About');
  const shown = page.getByTestId('build-hash');
  await expect.poll(() => shown.textContent(), { timeout: LIMITS.uiMs }).toMatch(/^[0-9a-f]{64}$/);
  return (await shown.textContent()) ?? '';
}

/** Replaces every file the server serves with the second build's (the same origin, another deployment). */
async function swapInSecondBuild(): Promise<void> {
  for (const entry of await readdir(served)) await rm(join(served, entry), { recursive: true, force: true });
  await cp(secondBuild, served, { recursive: true });
}

/** Waits (bounded) until no service worker is installing, then says whether one waits. */
function waitingAfterInstalls(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    for (let i = 0; i < 100 && reg?.installing; i++) await new Promise((r) => setTimeout(r, 100));
    return reg?.waiting !== null && reg?.waiting !== undefined;
  });
}

describe('an app a user can check', () => {
  it('each build writes its hash, the one scripts/build-hash.ts computes; two builds differ', async () => {
    expect(firstHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await buildHashOf(served)).hash).toBe(firstHash);
    expect((await buildHashOf(secondBuild)).hash).toBe(secondHash);
    expect(secondHash).not.toBe(firstHash);
  });

  it('the build is reproducible: the same sources built twice (other directories) give the same bytes', async () => {
    expect(await hashOfFile(secondAgain)).toBe(secondHash);
    const files = (dir: string) => readdir(dir, { recursive: true });
    expect((await files(secondAgain)).sort()).toEqual((await files(secondBuild)).sort());
    expect(await readFile(join(secondAgain, 'sw.js'), 'utf8')).toBe(await readFile(join(secondBuild, 'sw.js'), 'utf8'));
  });

  it("a module worker under the app's worker CSP runs only the app's code and reaches only nodes", async () => {
    const node = await otherOrigin('127.0.0.1');
    const far = await otherOrigin('127.0.0.2');
    await writeFile(join(served, 'assets', 'csp-probe.js'), probeScript(node, far));
    // The control: the same probe from a server that sends no CSP — what the review saw.
    const open = Fastify({ logger: false, forceCloseConnections: true });
    await open.register(appStatic({ root: served, csp: false }));
    await open.listen({ host: '127.0.0.1', port: 0 });
    world.cleanup.add('the server without CSP', () => open.close());
    const openOrigin = `http://localhost:${(open.server.address() as AddressInfo).port}`;

    const device = await newDevice();
    const page = await device.newPage();
    await openApp(page, server.origin);
    const worker = (await readdir(join(served, 'assets'))).find((f) => /^app-worker-[\w-]+\.js$/.test(f));
    expect(worker).toBeDefined();
    const res = await page.request.get(`${server.origin}/assets/${worker}`);
    expect(res.headers()['content-security-policy']).toBe(APP_WORKER_CSP);

    const strict = await runProbe(page);
    expect(strict).toEqual({
      eval: 'EvalError',
      fn: 'EvalError',
      script: 'TypeError',
      node: '200',
      far: 'TypeError',
      self: '200',
      wasm: 'compiled',
    });

    const controlPage = await device.newPage();
    await controlPage.goto(`${openOrigin}/`);
    const control = await runProbe(controlPage);
    expect(control).toEqual({
      eval: '2',
      fn: '2',
      script: '42',
      node: '200',
      far: '200',
      self: '200',
      wasm: 'compiled',
    });
    await controlPage.close();
    await rm(join(served, 'assets', 'csp-probe.js'));
    // The control's requests to 127.0.0.2 were meant (it stands for a host off this machine, and is loopback).
    expect(device.external.every((u) => u.startsWith(far))).toBe(true);
    device.external.splice(0, device.external.length);
    // The refusals above are logged as errors by design; nothing else may be.
    device.errors.splice(
      0,
      device.errors.length,
      ...device.errors.filter(
        (e) => !/Content Security Policy|unsafe-eval|csp-probe|Failed to fetch|dynamically imported/i.test(e),
      ),
    );
  });

  it('no silent update: closing the tabs keeps the old build; the new one runs only once accepted', async () => {
    const device = await newDevice();
    let page = await device.newPage();
    await openApp(page, server.origin);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await waitForCore(page);
    await waitForServiceWorker(page);
    expect(await aboutHash(page)).toBe(firstHash);

    await swapInSecondBuild();
    // The browser looks for a new service worker on each navigation; the page asks the server at start.
    await page.reload();
    await waitForCore(page);
    const prompt = page.getByTestId('update-prompt');
    await prompt.waitFor({ timeout: LIMITS.slowMs });
    expect(await prompt.getByTestId('update-build-hash').textContent()).toBe(secondHash);
    expect(await waitingAfterInstalls(page)).toBe(false); // the new service worker did not even install
    await screenshots(page, 'update-prompt-hash');

    // Close every tab without answering, then open the app again.
    await page.close();
    await new Promise((r) => setTimeout(r, 1000));
    page = await device.newPage();
    await openApp(page, server.origin);
    await waitForServiceWorker(page);
    expect(await page.locator(`meta[name="${MARKER}"]`).count()).toBe(0);
    expect(await aboutHash(page)).toBe(firstHash);
    expect(await waitingAfterInstalls(page)).toBe(false);

    // Still offered; accepting it installs the build it names and reloads into it.
    const offered = page.getByTestId('update-prompt');
    await offered.waitFor({ timeout: LIMITS.slowMs });
    expect(await offered.getByTestId('update-build-hash').textContent()).toBe(secondHash);
    await Promise.all([
      page.waitForEvent('load', { timeout: LIMITS.slowMs }),
      offered.getByRole('button', { name: 'Install and reload' }).click(),
    ]);
    await waitForCore(page);
    await waitForServiceWorker(page);
    expect(await page.locator(`meta[name="${MARKER}"]`).count()).toBe(1);
    expect(await aboutHash(page)).toBe(secondHash);
    await expect(page.getByTestId('update-prompt').count()).resolves.toBe(0);
  });

  it('no page error and no request off loopback', () => {
    for (const d of devices) {
      expect(d.errors).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
