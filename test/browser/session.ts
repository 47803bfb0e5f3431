/**
 * One browser test session, from Node: a production build of the test harness (and of index.html) with the
 * project's vite.config.ts, a Vite preview server on 127.0.0.1, and Debian's Chromium driven by
 * playwright-core. Every step has a time limit, and close() always tears down whatever was started.
 * The page may only talk to the local server: any other request is aborted and recorded.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import type { CaseResult } from './page.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(root, 'vite.config.ts');
/** The page that runs the cases (page.ts); index.html is built alongside it and checked too. */
const HARNESS = 'test/browser/harness.html';

/** Launch flags for headless Debian Chromium as root, quiet and offline: no sandbox (root), no GPU, no
 * background networking, component updates or sync, so nothing leaves loopback. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const LIMITS = Object.freeze({
  buildMs: 120_000,
  serverMs: 15_000,
  launchMs: 30_000,
  loadMs: 45_000,
  closeMs: 15_000,
});

export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

export interface BrowserSession {
  /** http://localhost:<port>/ */
  readonly origin: string;
  readonly page: Page;
  /** Requests the page tried to make to anything but the local server (all aborted). */
  readonly externalRequests: readonly string[];
  /** Uncaught page errors and console errors, for failure messages. */
  readonly pageErrors: readonly string[];
  /** Case names as the page collected them. */
  names(): Promise<string[]>;
  run(name: string, timeoutMs: number): Promise<CaseResult>;
  close(): Promise<void>;
}

async function buildHarness(outDir: string): Promise<void> {
  await build({
    root,
    configFile,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      minify: false, // readable stacks in failure reports
      rolldownOptions: { input: { harness: join(root, HARNESS), app: join(root, 'index.html') } },
    },
  });
}

async function startServer(outDir: string): Promise<PreviewServer> {
  // Port 0: the OS picks a free port, so parallel runs and a developer's own preview never collide.
  return preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
}

async function openPage(browser: Browser, origin: string, external: string[], errors: string[]): Promise<Page> {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    external.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

/** Builds and serves the harness, opens it in Chromium and waits for the core worker; the caller must close() it. */
export async function startSession(): Promise<BrowserSession> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of cleanups.reverse()) {
      await withTimeout(step(), LIMITS.closeMs, 'closing the browser session').catch(() => undefined);
    }
    cleanups.length = 0;
  };
  try {
    const outDir = await mkdtemp(join(tmpdir(), 'dta-browser-'));
    cleanups.push(() => rm(outDir, { recursive: true, force: true }));
    await withTimeout(buildHarness(outDir), LIMITS.buildMs, 'vite build of the test harness');
    const starting = startServer(outDir);
    cleanups.push(() => starting.then((s) => s.close())); // closes it even if it comes up after the time limit
    const server = await withTimeout(starting, LIMITS.serverMs, 'starting the preview server');
    const { port } = server.httpServer.address() as AddressInfo;
    const origin = `http://localhost:${port}/`;
    const browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: LIMITS.launchMs,
    });
    cleanups.push(() => browser.close());
    const external: string[] = [];
    const errors: string[] = [];
    const page = await openPage(browser, origin, external, errors);
    await page.goto(origin + HARNESS, { timeout: LIMITS.loadMs });
    await withTimeout(
      page.evaluate(() => window.dtaHarness.ready),
      LIMITS.loadMs,
      'starting the core worker',
    );
    return {
      origin,
      page,
      externalRequests: external,
      pageErrors: errors,
      names: () => page.evaluate(() => window.dtaHarness.names()),
      run: (name, timeoutMs) =>
        withTimeout(
          page.evaluate((n) => window.dtaHarness.run(n), name),
          timeoutMs,
          `case "${name}"`,
        ),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
