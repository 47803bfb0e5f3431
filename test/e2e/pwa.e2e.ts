// The app as an installable PWA (issue 5, item 5) in Chromium: the web manifest and its icons (192, 512,
// maskable) as the browser fetches them, Chromium's own installability verdict (CDP), the service worker
// controlling the page with the app and the .wasm precached, and an offline reload after the first visit in
// which the core starts and the stored identity still unlocks. Self-contained: only the committed harness.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, DESKTOP, newAppContext, screenshots, waitForServiceWorker, type AppContext } from './browser.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let device: AppContext;

beforeAll(async () => {
  world = await startWorld();
  device = await newAppContext(world.browser, world.cleanup);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** Waits until the worker and the wasm core are up (the footer's self-test line). */
async function waitForCore(page: Page): Promise<void> {
  await page.locator('#self-test[data-state="done"]').waitFor({ timeout: LIMITS.loadMs });
  expect(await page.locator('#self-test').textContent()).toBe('core self-test: passed');
}

/** Width and height from a PNG's IHDR chunk (bytes 16..24), after checking the signature. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

interface ManifestIcon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

describe('PWA', () => {
  let page: Page;

  it('links a web manifest with the fields an install needs and icons 192, 512 and maskable that load', async () => {
    page = await device.newPage();
    await page.goto(world.app.origin + '/');
    await waitForCore(page);
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href!, world.app.origin + '/').toString();
    const res = await fetch(manifestUrl, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await res.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest).toMatchObject({ short_name: 'dta', display: 'standalone', start_url: './', scope: './' });
    expect(manifest['name']).toEqual(expect.stringContaining('dta'));
    expect(manifest['theme_color']).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest['background_color']).toMatch(/^#[0-9a-f]{6}$/i);

    const wanted = [
      { sizes: '192x192', purpose: 'any' },
      { sizes: '512x512', purpose: 'any' },
      { sizes: '512x512', purpose: 'maskable' },
    ];
    for (const w of wanted) {
      const icon = manifest.icons.find((i) => i.sizes === w.sizes && (i.purpose ?? 'any').split(/\s+/).includes(w.purpose));
      expect(icon, `an icon ${w.sizes} ${w.purpose}`).toBeDefined();
      // Fetched by the page itself (same origin, under the app's CSP), the way the browser's installer would.
      const got = await page.evaluate(async (u) => {
        const r = await fetch(u, { signal: AbortSignal.timeout(10_000) });
        return { status: r.status, type: r.headers.get('content-type'), bytes: [...new Uint8Array(await r.arrayBuffer())] };
      }, new URL(icon!.src, manifestUrl).toString());
      expect(got.status).toBe(200);
      expect(got.type).toBe('image/png');
      const { width, height } = pngSize(Uint8Array.from(got.bytes));
      expect(`${width}x${height}`).toBe(w.sizes);
    }
  });

  it('registers a service worker that controls the page and has precached the app and the .wasm', async () => {
    // The first visit installs the worker; it takes control from the next navigation on (no clientsClaim:
    // registerType "prompt" never swaps code under an open page).
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await waitForServiceWorker(page);
    await waitForCore(page);
    const sw = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const n of names) for (const req of await (await caches.open(n)).keys()) urls.push(new URL(req.url).pathname);
      return { script: navigator.serviceWorker.controller?.scriptURL ?? '', urls };
    });
    expect(new URL(sw.script).pathname).toBe('/sw.js');
    expect(sw.urls).toContain('/index.html');
    expect(sw.urls.some((u) => u.endsWith('.wasm'))).toBe(true);
    expect(sw.urls.some((u) => /\/assets\/.+\.js$/.test(u))).toBe(true);
    expect(sw.urls).toEqual(expect.arrayContaining(['/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-512.png']));
  });

  it('is installable by Chromium\'s own checks (CDP, in a normal profile: manifest parsed, no installability errors)', async () => {
    // Playwright's contexts are incognito-like, where Chromium never offers an install ("in-incognito"); a
    // persistent profile in a temp directory is an ordinary browser profile.
    const profile = await mkdtemp(join(tmpdir(), 'dta-e2e-profile-'));
    world.cleanup.add('the install-check profile', () => rm(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: LIMITS.launchMs,
      viewport: DESKTOP,
    });
    world.cleanup.add('the install-check browser', () => context.close());
    context.setDefaultTimeout(LIMITS.uiMs);
    const p = context.pages()[0] ?? (await context.newPage());
    await p.goto(world.app.origin + '/', { timeout: LIMITS.loadMs });
    await waitForCore(p);
    await p.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await p.reload({ timeout: LIMITS.loadMs });
    await waitForServiceWorker(p);
    const cdp = await context.newCDPSession(p);
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[] };
    expect(manifest.url).toMatch(/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    await context.close();
  });

  it('reloads offline after the first visit; the stored identity still unlocks', async () => {
    await page.getByRole('form', { name: 'Create an identity' }).getByLabel('Name').fill('olivia');
    await page.getByRole('button', { name: 'Create identity' }).click();
    await page.getByText('Signed in as olivia').waitFor({ timeout: LIMITS.slowMs });
    await page.goto(world.app.origin + '/#/keys');
    const cid = (await page.getByTestId('identity-cid').locator('code').textContent())?.trim();
    expect(cid).toMatch(/^bafy[a-z2-7]+$/);

    await device.context.setOffline(true);
    try {
      await page.reload();
      await waitForServiceWorker(page);
      await waitForCore(page);
      // Really offline: nothing reaches the server, the app says so, and the identity is locked (a new page).
      const probe = await page.evaluate(async (u) => {
        try {
          return String((await fetch(u, { cache: 'no-store', signal: AbortSignal.timeout(5000) })).status);
        } catch (e) {
          return (e as Error).name;
        }
      }, `${world.app.origin}/.well-known/dta`);
      expect(probe).toBe('TypeError');
      await page.getByRole('status').filter({ hasText: 'Offline' }).waitFor();
      await expect(page.getByTestId('identity-chip').textContent()).resolves.toContain('Locked');
      await screenshots(page, 'offline-unlock');

      await page.getByTestId('unlock').click();
      await page.getByTestId('identity-chip').filter({ hasText: 'olivia' }).waitFor({ timeout: LIMITS.slowMs });
      await expect(page.getByTestId('identity-cid').locator('code').textContent()).resolves.toBe(cid);
      await screenshots(page, 'offline-identity');
    } finally {
      await device.context.setOffline(false);
    }
  });

  it('no page error and no request off loopback', () => {
    // Offline fetch failures are the expected ones; anything else is a bug.
    expect(device.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(e))).toEqual([]);
    expect(device.external).toEqual([]);
  });
});
