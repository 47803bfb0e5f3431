/**
 * Makes the pictures the web manifest points to (vite.config.ts), from the real app, and writes them into public/
 * (committed, so a build needs no browser):
 * - public/screenshots/narrow.png (390x844) and wide.png (1280x800): the app built and served as the e2e suite
 *   does, in Debian Chromium, with an identity, a real node on loopback and an order, so an install dialog shows
 *   what a person will see;
 * - public/icons/shortcut-*.png (96x96): the shortcuts' icons, the navigation's own drawings
 *   (src/app/shell/nav-icons.ts) in white on the app's blue.
 * Nothing leaves loopback. Run after a visible change to those screens: node scripts/make-screenshots.ts
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { NAV_ICON_PATHS } from '../src/app/shell/nav-icons.ts';
import { addNode, createIdentity, goTo, openApp } from '../test/e2e/app.ts';
import { buildApp, ROOT, serveApp } from '../test/e2e/app-build.ts';
import { DESKTOP, launchChromium, newAppContext, PHONE } from '../test/e2e/browser.ts';
import { Cleanup, LIMITS } from '../test/e2e/limits.ts';
import { setNodeHomesRoot, startE2eNode } from '../test/e2e/nodes.ts';

const SCREENSHOTS = join(ROOT, 'public/screenshots');
const ICONS = join(ROOT, 'public/icons');

/** Shortcut icon file name → the drawing it shows (keys of NAV_ICON_PATHS). */
const SHORTCUT_ICONS = {
  'shortcut-new.png': 'new',
  'shortcut-orders.png': '/orders',
  'shortcut-identity.png': '/keys',
};

/** One 96x96 icon: a rounded blue square with the drawing in white, rendered by Chromium. */
async function drawIcon(page: Page, drawing: string, file: string): Promise<void> {
  const path = NAV_ICON_PATHS[drawing];
  if (!path) throw new Error(`make-screenshots: no drawing named ${drawing}`);
  await page.setViewportSize({ width: 96, height: 96 });
  await page.setContent(
    `<body style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
      `<rect width="96" height="96" rx="20" fill="#1d4f91"/>` +
      `<g transform="translate(20 20) scale(2.333)" fill="none" stroke="#fff" stroke-width="1.8" ` +
      `stroke-linecap="round" stroke-linejoin="round"><path d="${path}"/></g></svg></body>`,
  );
  await page.screenshot({ path: file, omitBackground: true, clip: { x: 0, y: 0, width: 96, height: 96 } });
}

/** Waits until the page shows no progress (it checks chains and asks nodes on arrival): the screen at rest. */
async function settled(page: Page): Promise<void> {
  await page.locator('.progress').first().waitFor({ state: 'detached', timeout: LIMITS.slowMs });
}

/** A device with an identity, the node added and one safeguarded secret ordered for itself. */
async function preparedPage(browser: Browser, cleanup: Cleanup, origin: string, nodeUrl: string): Promise<Page> {
  const device = await newAppContext(browser, cleanup, { viewport: PHONE });
  const page = await device.newPage();
  await openApp(page, origin);
  await createIdentity(page, 'Ada Lovelace');
  await addNode(page, nodeUrl);
  await goTo(page, '/orders/new', 'Safeguard a secret');
  await page.getByTestId('secret-input').fill('the code of the garden door');
  await page.getByTestId('beneficiary-me').check();
  await page.getByTestId('secret-label').fill('Garden door');
  await page.getByTestId('safeguard-submit').click();
  await page.locator('[data-testid="chain-verified"][data-verified="true"]').waitFor({ timeout: LIMITS.slowMs });
  if (device.external.length > 0) throw new Error(`make-screenshots: requests off loopback: ${device.external}`);
  return page;
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  try {
    const work = await mkdtemp(join(tmpdir(), 'dta-screenshots-'));
    cleanup.add('the temp directory', () => rm(work, { recursive: true, force: true }));
    setNodeHomesRoot(work);
    await buildApp(join(work, 'app'));
    const app = await serveApp(join(work, 'app'));
    cleanup.add('the app server', () => app.close());
    const node = await startE2eNode(cleanup, { name: 'Garden node', corsOrigins: [app.origin] });
    const browser = await launchChromium(cleanup);
    await mkdir(SCREENSHOTS, { recursive: true });
    const page = await preparedPage(browser, cleanup, app.origin, node.url);
    const orderPath = await page.evaluate(() => location.hash.replace(/^#/, ''));
    await goTo(page, '/orders', 'Orders');
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'narrow.png'), animations: 'disabled' });
    await page.setViewportSize(DESKTOP);
    await goTo(page, orderPath);
    await page.getByTestId('order-summary').waitFor();
    await settled(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'wide.png'), animations: 'disabled' });
    const iconPage = await (await browser.newContext()).newPage();
    for (const [file, drawing] of Object.entries(SHORTCUT_ICONS)) await drawIcon(iconPage, drawing, join(ICONS, file));
    console.log(
      `make-screenshots: wrote ${SCREENSHOTS}/{narrow,wide}.png and ${Object.keys(SHORTCUT_ICONS).length} icons`,
    );
  } finally {
    await cleanup.run();
  }
}

await main();
