/**
 * The app's cold start, two builds compared visit by visit: `node bench/cold-ab.ts <tree>=<dist> <tree>=<dist>
 * [--visits N] [--build] [--network]`. Each `<tree>` is a checkout of the project (a `git worktree` of the commit
 * before a change, say, with node_modules linked in), `<dist>` the directory its build goes to (built once, or
 * again with --build); each build is served by its own tree's app-static and compression, so a change to how the
 * node serves the app is compared too.
 *
 * Why not two runs of bench/app.ts: on a shared two-core machine the load moves by more than a change saves between
 * one run and the next; here the builds take turns, one fresh context each at 390×844 (as bench/app.ts's cold visit:
 * navigation start to `#self-test[data-state="done"]`), so both see the same load. It prints each visit's `dta:`
 * marks (the page's and the app worker's, on the page's clock), then the medians side by side; --network adds
 * when each request went out and ended (Chromium's timing, the page's clock), the workers' own included.
 * @module
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { startSteps } from './app.ts';
import { median } from './measure.ts';

interface Served {
  readonly name: string;
  readonly origin: string;
  close(): Promise<void>;
}

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const builds = args.filter((a) => a.includes('=')).map((a) => a.split('=') as [tree: string, dist: string]);
if (builds.length === 0) throw new Error('usage: node bench/cold-ab.ts <tree>=<dist> [<tree>=<dist> ...] [--visits N]');
const visits = Number(option('--visits') ?? 8);
const network = args.includes('--network');

/** Marks the moment the cold start ends, on the page's clock (like bench/app.ts's probe). */
function doneProbe(): void {
  const w = window as unknown as { __dtaDoneAt?: number };
  const observer = new MutationObserver(() => {
    if (document.querySelector('#self-test[data-state="done"]')) {
      w.__dtaDoneAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** One cold visit: its steps in ms from navigation start, and (--network) a line per request. */
async function coldVisit(browser: Browser, served: Served, e2e: string): Promise<Map<string, number>> {
  const { newAppContext, PHONE } = await import(`${e2e}/browser.ts`);
  const { Cleanup } = await import(`${e2e}/limits.ts`);
  const cleanup = new Cleanup();
  try {
    const device = await newAppContext(browser, cleanup, { viewport: PHONE });
    await device.context.addInitScript(doneProbe);
    const requests: Request[] = [];
    device.context.on('requestfinished', (r: Request) => requests.push(r));
    const page: Page = await device.newPage();
    await page.goto(`${served.origin}/`, { waitUntil: 'commit' });
    const done = await page.waitForFunction(() => (window as unknown as { __dtaDoneAt?: number }).__dtaDoneAt);
    const steps = await startSteps(page);
    const origin = await page.evaluate(() => performance.timeOrigin);
    steps.set('done', (await done.jsonValue()) as number);
    if (network) {
      for (const r of requests.filter((q) => !q.serviceWorker())) {
        const t = r.timing();
        const at = (ms: number) => Math.round(t.startTime - origin + ms);
        console.log(`    ${new URL(r.url()).pathname.padEnd(44)} ${at(0)} → ${at(t.responseEnd)}`);
      }
    }
    if (device.errors.length > 0) console.log(`    errors: ${device.errors.join('; ')}`);
    return steps;
  } finally {
    await cleanup.run();
  }
}

const servers: Served[] = [];
const e2eOf = (tree: string) => `${tree}/test/e2e`;
for (const [tree, dist] of builds) {
  const { buildApp, serveApp } = await import(`${e2eOf(tree)}/app-build.ts`);
  if (args.includes('--build') || !existsSync(`${dist}/index.html`)) await buildApp(dist);
  const app = await serveApp(dist);
  servers.push({ name: basename(dist), origin: app.origin, close: () => app.close() });
}
const { launchChromium } = await import(`${e2eOf(builds[0]![0])}/browser.ts`);
const { Cleanup } = await import(`${e2eOf(builds[0]![0])}/limits.ts`);
const cleanup = new Cleanup();
const steps = servers.map(() => new Map<string, number[]>());
try {
  const browser: Browser = await launchChromium(cleanup);
  for (let visit = 0; visit < visits; visit++) {
    for (const [i, served] of servers.entries()) {
      const seen = await coldVisit(browser, served, e2eOf(builds[i]![0]));
      const line = [...seen].sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k.replace('dta:', '')} ${Math.round(v)}`);
      console.log(`${served.name} #${visit}: ${line.join(' | ')}`);
      for (const [k, v] of seen) steps[i]!.set(k, [...(steps[i]!.get(k) ?? []), v]);
    }
  }
} finally {
  await cleanup.run();
  for (const s of servers) await s.close();
}
console.log(
  `medians (ms from navigation start; n = visits that had the step), load average ${loadavg()[0]!.toFixed(1)}:`,
);
console.log(`  ${''.padEnd(16)}${servers.map((s) => s.name.padStart(6).padEnd(13)).join('  ')}`);
const names = [...new Set(steps.flatMap((m) => [...m.keys()]))];
const order = (name: string) => median(steps.find((m) => m.has(name))!.get(name)!);
for (const name of names.sort((a, b) => order(a) - order(b))) {
  const cells = steps.map((m) => {
    const xs = m.get(name);
    return xs ? `${String(Math.round(median(xs))).padStart(6)} (n ${xs.length})` : '     -       ';
  });
  console.log(`  ${name.replace('dta:', '').padEnd(16)}${cells.join('  ')}`);
}
