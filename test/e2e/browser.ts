/**
 * Debian Chromium driven by playwright-core for the e2e suite and bench/app.ts: launch with the flags of
 * test/browser/session.ts (headless, no sandbox, nothing leaving loopback), browser contexts that record every request leaving loopback and every page error,
 * screenshots at phone and desktop width, and a CDP virtual authenticator with PRF.
 * @module
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type CDPSession,
  chromium,
  type Page,
} from 'playwright-core';
import { ROOT } from './app-build.ts';
import { type Cleanup, LIMITS, withTimeout } from './limits.ts';

/** Headless Debian Chromium as root, quiet and offline. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const PHONE = Object.freeze({ width: 390, height: 844 });
export const DESKTOP = Object.freeze({ width: 1280, height: 800 });
export const SCREENSHOTS = join(ROOT, 'test-results/screenshots');

/** Launches Chromium; `extraArgs` add to CHROMIUM_ARGS (a fake camera for the QR tests, say). */
export async function launchChromium(cleanup: Cleanup, extraArgs: readonly string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
    timeout: LIMITS.launchMs,
  });
  cleanup.add('Chromium', () => browser.close());
  return browser;
}

/** A browser context and what it saw. */
export interface AppContext {
  readonly context: BrowserContext;
  /** URLs of requests to anything but loopback (there must be none). */
  readonly external: string[];
  /** Uncaught page errors and console errors (with the page URL), for failure messages and checks. */
  readonly errors: string[];
  newPage(): Promise<Page>;
}

const LOOPBACK = /^(https?|wss?):\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?\//;

function watchPage(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed resource load's message does not name the resource; its location does.
    if (m.type() === 'error') errors.push(`console: ${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`);
  });
}

/**
 * A fresh context (its own IndexedDB, service workers, storage: one person's device). Requests are only
 * observed, never routed, so the service worker and offline mode behave as in a real browser.
 */
export async function newAppContext(
  browser: Browser,
  cleanup: Cleanup,
  options: BrowserContextOptions = {},
): Promise<AppContext> {
  const context = await browser.newContext({ viewport: DESKTOP, ...options });
  cleanup.add('a browser context', () => context.close());
  context.setDefaultTimeout(LIMITS.uiMs);
  context.setDefaultNavigationTimeout(LIMITS.loadMs);
  const external: string[] = [];
  const errors: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!LOOPBACK.test(url) && !url.startsWith('data:') && !url.startsWith('blob:')) external.push(url);
  });
  context.on('page', (p) => watchPage(p, errors));
  return { context, external, errors, newPage: () => context.newPage() };
}

/** Saves `page` as test-results/screenshots/<name>-phone.png and -desktop.png; restores the viewport. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize();
  const files: string[] = [];
  try {
    for (const [label, size] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      await page.setViewportSize(size);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const file = join(SCREENSHOTS, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', timeout: LIMITS.uiMs });
      files.push(file);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  return files;
}

/** True when nothing in the page is wider than the viewport (no horizontal scrolling at phone width). */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

export interface VirtualAuthenticator {
  readonly cdp: CDPSession;
  readonly id: string;
  credentials(): Promise<unknown[]>;
}

/** A CTAP2.1 platform authenticator with resident keys, user verification and PRF (hmac-secret), for `page`. */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    cdp,
    id: authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}

/** Waits (bounded) until a service worker controls `page`. */
export async function waitForServiceWorker(page: Page, ms = LIMITS.loadMs): Promise<void> {
  await withTimeout(
    page.waitForFunction(
      () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
      undefined,
      { timeout: ms },
    ),
    ms + 1000,
    'a service worker to control the page',
  );
}

/**
 * A Chromium with a real (non-incognito) profile in a temp directory: Chromium's installability check refuses
 * incognito contexts outright, which every newContext() is.
 */
export async function launchProfile(cleanup: Cleanup): Promise<BrowserContext> {
  const dir = await mkdtemp(join(tmpdir(), 'dta-e2e-profile-'));
  cleanup.add('the Chromium profile', () => rm(dir, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: LIMITS.launchMs,
    viewport: DESKTOP,
  });
  cleanup.add('the Chromium with a profile', () => context.close());
  context.setDefaultTimeout(LIMITS.uiMs);
  context.setDefaultNavigationTimeout(LIMITS.loadMs);
  return context;
}
