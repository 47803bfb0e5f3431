// The app's layouts (issue 14, Deliver 4 and 8) in Chromium, with an identity, a real node and orders: at phone
// width (390x844) a tab bar at the bottom from which every section is reached (the rest behind "More"), the page
// never under it; at desktop width (1280x800) the navigation as a column beside content of a readable width,
// fields as wide as what they hold. Retrieved secrets and private keys are masked until revealed, copied without
// being revealed, and a Bitcoin key warns that whoever has it can spend it. Every target outside running text is
// at least 24x24 px. Each main screen is saved at both widths in test-results/screenshots/layout-*.png, where
// nothing may scroll sideways and the navigation must show (or, on a phone, open onto) every section.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode, createIdentity, goTo, openApp } from './app.ts';
import { type AppContext, DESKTOP, fitsWidth, newAppContext, PHONE, SCREENSHOTS } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let device: AppContext;
let page: Page;
const SECRET = 'layout check: the door code is 9035';
/** Responses of 400 and more the context's pages got, to say which one a console error is about. */
const failed: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'layout node', corsOrigins: [world.app.origin] });
  device = await newAppContext(world.browser, world.cleanup, {
    viewport: PHONE,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  page = await device.newPage();
  device.context.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.request().method()} ${r.url()}`);
  });
  await openApp(page, world.app.origin);
  await createIdentity(page, 'Grace Hopper');
  await addNode(page, node.url);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/**
 * What the clipboard holds, read the way another program pasting would: the app's own pages may not read it (its
 * Permissions-Policy says clipboard-read=()), so a second tab on the node's origin reads it, then the app's tab is
 * brought back to the front.
 */
async function clipboardText(): Promise<string> {
  const reader = await device.newPage();
  try {
    await reader.goto(`${node.url}/.well-known/dta`);
    await reader.bringToFront();
    return await reader.evaluate(() => navigator.clipboard.readText());
  } finally {
    await reader.close();
    await page.bringToFront();
  }
}

const nav = () => page.getByRole('navigation', { name: 'Main' });
const more = () => nav().getByRole('button', { name: 'More' });

/** Every section of the main navigation, as app paths ('/keys'), read from its links. */
async function sections(): Promise<string[]> {
  const hrefs = await nav()
    .locator('a[href]') // links in a closed sheet are hidden, which role locators skip
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((h) => h.replace(/^#/, '') || '/');
}

/** The link of `path` in the main navigation. */
const navLink = (path: string) => nav().locator(`a[href="#${path}"]`);

/** True when the element is shown and wholly inside the viewport (not cut off by the screen's edge). */
async function inViewport(locator: ReturnType<Page['locator']>): Promise<boolean> {
  if (!(await locator.isVisible())) return false;
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return (
    box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height
  );
}

/**
 * At phone width every section is in the tab bar, or in the sheet "More" opens; at desktop width every section's
 * link is on screen. Returns the sections reached behind "More".
 */
async function navigationShowsEverySection(): Promise<string[]> {
  const all = await sections();
  const behindMore: string[] = [];
  for (const path of all) if (!(await inViewport(navLink(path)))) behindMore.push(path);
  if (page.viewportSize()!.width === DESKTOP.width) {
    expect(behindMore, 'every section in the side navigation').toEqual([]);
    expect(await more().isVisible()).toBe(false);
    return behindMore;
  }
  expect(await inViewport(more()), '"More" on screen').toBe(true);
  await more().click();
  for (const path of behindMore) expect(await inViewport(navLink(path)), `${path} in the "More" sheet`).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => more().getAttribute('aria-expanded')).toBe('false');
  return behindMore;
}

/** Targets (links, buttons, fields) outside running text smaller than 24x24 px, as "text (w x h)". */
function smallTargets(): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const targets = document.querySelectorAll<HTMLElement>(
      'a[href], button, input:not([type="hidden"]), select, textarea, summary',
    );
    for (const el of targets) {
      // A radio button or checkbox is operated through its whole label.
      const target = el.matches('input[type="radio"], input[type="checkbox"]') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (!el.checkVisibility() || r.width <= 1 || r.bottom <= 0) continue; // hidden, screen-reader only, skip link
      // WCAG 2.5.8's inline exception: a link inside a sentence takes the text's line height.
      const sentence = el.closest('p');
      if (el.tagName === 'A' && sentence && (sentence.textContent ?? '').trim() !== (el.textContent ?? '').trim()) {
        continue;
      }
      if (r.width < 24 || r.height < 24) {
        const name = (el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim().slice(0, 40);
        out.push(`${name} (${Math.round(r.width)}x${Math.round(r.height)})`);
      }
    }
    return out;
  });
}

/**
 * Saves the page at both widths as test-results/screenshots/<name>-{phone,desktop}.png, whole: the viewport is made
 * as tall as the page first, so the tab bar (fixed to the screen's bottom) is drawn at the bottom, as a person
 * scrolling to the end sees it, not across the middle of a long page.
 */
async function shoot(name: string): Promise<string[]> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const files: string[] = [];
  for (const [label, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
    const file = join(SCREENSHOTS, `${name}-${label}.png`);
    await page.screenshot({ path: file, animations: 'disabled' });
    files.push(file);
  }
  await page.setViewportSize(PHONE);
  return files;
}

/** Orders a safeguarded secret for this identity; returns the order's id (on its page). */
async function orderSecret(): Promise<string> {
  await goTo(page, '/orders/new', 'Safeguard a secret');
  await page.getByTestId('secret-input').fill(SECRET);
  await page.getByTestId('beneficiary-me').check();
  await page.getByTestId('safeguard-submit').click();
  await page.getByTestId('order-summary').waitFor({ timeout: LIMITS.slowMs });
  return decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
}

describe('layouts at phone and desktop width', () => {
  it('phone: a tab bar at the bottom reaches every section; the page is never under it', async () => {
    await page.setViewportSize(PHONE);
    await goTo(page, '/', 'dta');
    const all = await sections();
    expect(all).toEqual(
      expect.arrayContaining(['/', '/keys', '/nodes', '/orders', '/bitcoin', '/mpin', '/audit', '/about']),
    );
    const bar = (await nav().boundingBox())!;
    expect(bar.y + bar.height).toBeCloseTo(PHONE.height, 0); // at the bottom edge
    expect(bar.height).toBeLessThan(100);
    const behindMore = await navigationShowsEverySection();
    expect(behindMore.length).toBeGreaterThan(0);
    // Each section is reached from the bar: a tab, or "More" then the section; the sheet closes on the choice.
    for (const path of all) {
      if (behindMore.includes(path)) await more().click();
      await navLink(path).click();
      await expect.poll(() => page.evaluate(() => location.hash)).toBe(`#${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await expect(navLink(path).getAttribute('aria-current')).resolves.toBe('page');
      expect(await more().getAttribute('aria-expanded')).toBe('false');
      // Scrolled to the end, the last of the page (the footer) ends above the bar. A page may still grow
      // (About reads the build hash), so scroll again until the end holds still.
      await expect
        .poll(
          async () => {
            await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
            const footer = (await page.locator('footer').boundingBox())!;
            const barNow = (await nav().boundingBox())!;
            return footer.y + footer.height - (barNow.y + 1);
          },
          { message: `${path}: footer above the bar` },
        )
        .toBeLessThanOrEqual(0);
    }
    // A tap outside the open sheet closes it.
    await more().click();
    await page.getByTestId('nav-backdrop').click({ position: { x: 20, y: 100 } });
    expect(await more().getAttribute('aria-expanded')).toBe('false');
  });

  it('desktop: the navigation is a column beside content of a readable width; short fields stay short', async () => {
    await page.setViewportSize(DESKTOP);
    await goTo(page, '/nodes', 'Nodes');
    await navigationShowsEverySection();
    const rail = (await nav().boundingBox())!;
    const main = (await page.locator('#main').boundingBox())!;
    expect(rail.x).toBe(0);
    expect(rail.width).toBeLessThan(300);
    expect(rail.height).toBeGreaterThan(DESKTOP.height / 2);
    expect(main.x).toBeGreaterThanOrEqual(rail.x + rail.width);
    expect(main.width).toBeLessThanOrEqual(56 * 16);
    const url = (await page.getByLabel('Node URL').boundingBox())!;
    expect(url.width).toBeLessThanOrEqual(36 * 16);
    await goTo(page, '/mpin', 'M-Pin');
    const pin = page.locator('input[inputmode="numeric"]').first();
    await pin.waitFor();
    expect((await pin.boundingBox())!.width).toBeLessThanOrEqual(160);
  });

  it('a retrieved secret is masked until revealed, and copied without being revealed', async () => {
    await page.setViewportSize(PHONE);
    await orderSecret();
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved-secret-masked').waitFor({ timeout: LIMITS.slowMs });
    expect(await page.content()).not.toContain('9035');
    await page.getByTestId('retrieved-secret-copy').click();
    await expect.poll(clipboardText).toBe(SECRET);
    expect(await page.getByTestId('retrieved-secret').count()).toBe(0);
    await page.getByTestId('retrieved-secret-reveal').click();
    await expect(page.getByTestId('retrieved-secret').textContent()).resolves.toBe(SECRET);
    expect(await page.getByTestId('retrieved-secret-warning').count()).toBe(0); // no coins at stake
    await shoot('layout-secret-revealed');
    await page.getByTestId('retrieved-secret-reveal').click();
    expect(await page.getByTestId('retrieved-secret').count()).toBe(0);
    // The order's id has a Copy button too.
    await page.getByTestId('order-id').getByRole('button', { name: 'Copy order id' }).click();
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
    await expect.poll(clipboardText).toBe(id);
  });

  it('a Bitcoin key is masked; revealing it warns that whoever has it can spend it', async () => {
    await goTo(page, '/bitcoin', 'Bitcoin key');
    await page.getByTestId('bitcoin-network').selectOption('regtest');
    await page.getByTestId('bitcoin-submit').click();
    const ordered = page.getByTestId('bitcoin-ordered');
    await ordered.waitFor({ timeout: LIMITS.slowMs });
    await ordered.getByTestId('bitcoin-order-link').click();
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved-wif-masked').waitFor({ timeout: LIMITS.slowMs });
    await page.getByTestId('retrieved-key-hex-masked').waitFor();
    expect(await page.getByTestId('retrieved-wif').count()).toBe(0);
    expect(await page.getByText(/whoever has this key can spend it/i).count()).toBe(0);
    await page.getByLabel("The identity's name, to reveal or copy the key").fill('Grace Hopper'); // to confirm
    await page.getByTestId('retrieved-wif-copy').click();
    await page.getByText('Copied').waitFor({ timeout: LIMITS.slowMs }); // the key came from the worker first
    const copied = await clipboardText();
    expect(copied).toMatch(/^c[1-9A-HJ-NP-Za-km-z]{51}$/); // a compressed testnet/regtest WIF
    await page.getByTestId('retrieved-wif-reveal').click();
    await expect(page.getByTestId('retrieved-wif').textContent()).resolves.toBe(copied);
    await expect(page.getByTestId('retrieved-wif-warning').textContent()).resolves.toMatch(
      /whoever has this key can spend it/i,
    );
    expect(await fitsWidth(page)).toBe(true);
    await shoot('layout-bitcoin-revealed');
  });

  it('every main screen at both widths: saved, no sideways scroll, every section reachable, targets >= 24 px', async () => {
    const screens: Array<[string, string]> = (await sections()).map((p) => [p, p === '/' ? 'home' : p.slice(1)]);
    const orderId = await page.evaluate(() => location.hash.replace('#/orders/', ''));
    screens.push([`/orders/${orderId}`, 'order'], ['/orders/new', 'orders-new']);
    for (const [path, name] of screens) {
      await page.setViewportSize(PHONE);
      await goTo(page, path);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      for (const size of [PHONE, DESKTOP]) {
        await page.setViewportSize(size);
        const where = `${name} at ${size.width}`;
        expect(await fitsWidth(page), `${where}: no sideways scroll`).toBe(true);
        expect(await smallTargets(), `${where}: targets under 24 px`).toEqual([]);
        await navigationShowsEverySection();
      }
      const files = await shoot(`layout-${name}`);
      expect(files).toHaveLength(2);
    }
    // The "More" sheet open, as a person sees it.
    await page.setViewportSize(PHONE);
    await more().click();
    await page.screenshot({ path: join(SCREENSHOTS, 'layout-more-open-phone.png') });
    await page.keyboard.press('Escape');
  });

  it('no page error and no request off loopback', () => {
    // The clipboard-reading tab (clipboardText) opens a page of the node's, whose favicon the node does not have.
    const ownTab = `(${node.url}/favicon.ico)`;
    expect(
      device.errors.filter((e) => !e.endsWith(ownTab)),
      failed.join('\n'),
    ).toEqual([]);
    expect(device.external).toEqual([]);
  });
});
