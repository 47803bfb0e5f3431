// Screenshots of each main screen at phone (390x844) and desktop (1280x800) width, saved as test artifacts in
// test-results/screenshots/screen-<name>-{phone,desktop}.png. The screens are read from the app's own main
// navigation, so a screen added later is covered without editing this file. Each is shown with real content
// where it needs some: an identity created in the worker, a real node added on the Nodes screen. At phone width
// nothing may be wider than the viewport.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppContext, DESKTOP, fitsWidth, newAppContext, PHONE, screenshots } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let device: AppContext;
let page: Page;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'fiduciary one', corsOrigins: [world.app.origin] });
  device = await newAppContext(world.browser, world.cleanup);
  page = await device.newPage();
});

afterAll(async () => {
  await world?.cleanup.run();
});

async function waitForCore(p: Page): Promise<void> {
  await p.locator('#self-test[data-state="done"]:not([data-self-test="running"])').waitFor({ timeout: LIMITS.loadMs });
  expect(await p.locator('#self-test').textContent()).toBe('core self-test: passed');
}

/** Both widths: a screenshot each, and no horizontal scrolling at phone width. */
async function shoot(name: string): Promise<void> {
  const files = await screenshots(page, `screen-${name}`);
  expect(files).toHaveLength(2);
  await page.setViewportSize(PHONE);
  expect(await fitsWidth(page), `${name} fits ${PHONE.width} px`).toBe(true);
  await page.setViewportSize(DESKTOP);
}

/** The main navigation's screens: [path, title]. */
async function navScreens(): Promise<Array<[string, string]>> {
  const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
  const out: Array<[string, string]> = [];
  for (const link of await links.all()) {
    const href = (await link.getAttribute('href')) ?? '';
    out.push([href.replace(/^#/, '') || '/', (await link.innerText()).trim()]);
  }
  return out;
}

describe('main screens at phone and desktop width', () => {
  it('a new device: the start screen asks for an identity', async () => {
    await page.goto(`${world.app.origin}/`);
    await waitForCore(page);
    await page.getByRole('heading', { name: 'Create your identity' }).waitFor();
    await shoot('start-new-device');
  });

  it('with an identity and a node added, every screen of the main navigation', async () => {
    await page.getByRole('form', { name: 'Create an identity' }).getByLabel('Name').fill('Ada Lovelace');
    await page.getByRole('button', { name: 'Create identity' }).click();
    await page.getByText('Signed in as Ada Lovelace').waitFor({ timeout: LIMITS.slowMs });

    const screens = await navScreens();
    expect(screens.map(([path]) => path)).toEqual(expect.arrayContaining(['/', '/keys']));
    if (screens.some(([path]) => path === '/nodes')) {
      await page.goto(`${world.app.origin}/#/nodes`);
      await page.getByTestId('node-url-input').fill(node.url);
      await page.getByTestId('node-add').click();
      await page.getByTestId('node-added').waitFor({ timeout: LIMITS.slowMs });
      await page.getByTestId('node-check').click();
      await page.locator('[data-testid="node-status"][data-status="up"]').waitFor({ timeout: LIMITS.slowMs });
    }
    for (const [path, title] of screens) {
      await page.goto(`${world.app.origin}/#${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await page.getByRole('alert').count(), `no error on ${title}`).toBe(0);
      await shoot(path === '/' ? 'home' : path.slice(1).replace(/\W+/g, '-'));
    }
    await page.goto(`${world.app.origin}/#/about`);
    await page.getByRole('heading', { level: 1, name: 'About' }).waitFor();
    await shoot('about');
  });

  it('the locked identity screen', async () => {
    await page.goto(`${world.app.origin}/#/keys`);
    await page.getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('heading', { name: 'Unlock your identity' }).waitFor();
    await shoot('unlock');
  });

  it('no page error and no request off loopback', () => {
    expect(device.errors).toEqual([]);
    expect(device.external).toEqual([]);
  });
});
