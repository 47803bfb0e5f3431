// Accessibility checked by a tool (issue 14, deliver 5): axe-core (@axe-core/playwright, every rule it runs by
// default) over every main screen of the app at phone (390×844) and desktop (1280×800) size, in the states a person
// sees: a new device's start screen, an identity created, a node added, an order placed and opened, each feature
// screen, the locked identity screen. No serious or critical violation is allowed; the counts of each impact per
// width are printed, and a failure names each rule with the elements it flagged. One browser context per width
// (each its own device with its own identity), one node and one app server for both.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode, createIdentity, goTo, lock, openApp } from './app.ts';
import { type AppContext, DESKTOP, newAppContext, PHONE } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;

/** The impacts axe-core gives a violation, worst first; the first two fail the test. */
const IMPACTS = ['critical', 'serious', 'moderate', 'minor'] as const;
type Impact = (typeof IMPACTS)[number];
const BLOCKING: readonly Impact[] = ['critical', 'serious'];

interface Finding {
  readonly width: string;
  readonly screen: string;
  readonly rule: string;
  readonly impact: Impact;
  /** CSS selectors of the elements the rule flagged (the first few). */
  readonly targets: readonly string[];
}

const findings: Finding[] = [];
const screensChecked: Record<string, string[]> = { phone: [], desktop: [] };
/** How long each axe-core run took (printed: it dominates this file's time). */
const axeMs: number[] = [];

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'a11y fiduciary', corsOrigins: [world.app.origin] });
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** Waits until the screen has its heading and nothing is loading, then runs axe-core and records what it found. */
async function check(page: Page, width: string, screen: string): Promise<void> {
  await page.getByRole('heading', { level: 1 }).first().waitFor();
  await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
  const t0 = performance.now();
  const result = await new AxeBuilder({ page }).analyze();
  screensChecked[width]!.push(screen);
  // A run that checked nothing (an empty frame, a page not yet rendered) must not pass as "no violations".
  expect(result.passes.length, `axe-core checked ${screen}`).toBeGreaterThan(10);
  axeMs.push(performance.now() - t0);
  for (const v of result.violations) {
    findings.push({
      width,
      screen,
      rule: v.id,
      impact: (v.impact ?? 'minor') as Impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    });
  }
}

/** Places a safeguarded secret for this identity and opens its order page (the chain checked). */
async function placeOrder(page: Page): Promise<void> {
  await goTo(page, '/orders/new', 'Safeguard a secret');
  await page.getByTestId('secret-input').fill('the code of the blue door is 2718');
  await page.getByTestId('beneficiary-me').check();
  await page.getByTestId('safeguard-submit').click();
  await page.getByTestId('order-summary').waitFor({ timeout: LIMITS.slowMs });
  await page
    .locator('[data-testid="chain-verified"]:not([data-verified="unknown"])')
    .waitFor({ timeout: LIMITS.slowMs });
}

/** "critical 0, serious 0, moderate 2, minor 1" for one width. */
function counts(width: string): string {
  return IMPACTS.map((impact) => {
    const n = findings.filter((f) => f.width === width && f.impact === impact).length;
    return `${impact} ${n}`;
  }).join(', ');
}

/** The serious and critical findings at `width` on `screens`, readable (rule, impact, elements). */
function blockingOn(width: string, screens: readonly string[]): string[] {
  return findings
    .filter((f) => f.width === width && screens.includes(f.screen) && BLOCKING.includes(f.impact))
    .map((f) => `${f.screen}: ${f.rule} (${f.impact}) at ${f.targets.join(' | ')}`);
}

/** The feature screens of the navigation and the identity's sub-screens: [path, heading, name]. */
const FEATURE_SCREENS: ReadonlyArray<readonly [string, string, string]> = [
  ['/orders', 'Orders', 'orders'],
  ['/orders/new', 'Safeguard a secret', 'new safeguard'],
  ['/custody/new', 'Threshold custody', 'custody'],
  ['/bitcoin', 'Bitcoin', 'bitcoin'],
  ['/mpin', 'M-Pin', 'M-Pin'],
  ['/audit', 'Audit', 'audit'],
  ['/keys/backup', 'Export a backup', 'backup'],
  ['/keys/import', 'Import a backup', 'import a backup'],
  ['/about', 'About', 'about'],
];

/** Each check runs axe-core over a whole screen (a few seconds each on a loaded 2-core machine). */
const STAGE_MS = 180_000;

// Each width is one device (its own browser context) walking the screens in the order a person meets them.
for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  describe(`accessibility (axe-core) at ${width} size, ${viewport.width}×${viewport.height}`, () => {
    let device: AppContext;
    let page: Page;

    it(
      'a new device, an identity created, a node added, an order placed and opened',
      async () => {
        device = await newAppContext(world.browser, world.cleanup, { viewport });
        page = await device.newPage();
        await openApp(page, world.app.origin);
        await page.getByRole('heading', { name: 'Create your identity' }).waitFor();
        await check(page, width, 'start screen (new device)');
        await createIdentity(page, `Ada (${width})`);
        await goTo(page, '/', 'dta');
        await check(page, width, 'home (identity created)');
        await goTo(page, '/keys', 'Identity');
        await check(page, width, 'identity');
        await addNode(page, node.url);
        await check(page, width, 'nodes (a node added)');
        await placeOrder(page);
        await check(page, width, 'order page (placed and opened)');
        const screens = screensChecked[width]!.slice();
        expect(screens).toHaveLength(5);
        expect(blockingOn(width, screens), blockingOn(width, screens).join('\n')).toEqual([]);
      },
      STAGE_MS,
    );

    it(
      'each feature screen',
      async () => {
        for (const [path, heading, name] of FEATURE_SCREENS) {
          await goTo(page, path, heading);
          await check(page, width, name);
        }
        const names = FEATURE_SCREENS.map(([, , name]) => name);
        expect(screensChecked[width]).toEqual(expect.arrayContaining(names));
        expect(blockingOn(width, names), blockingOn(width, names).join('\n')).toEqual([]);
      },
      STAGE_MS,
    );

    it(
      'the locked identity screen; no page error, nothing off loopback',
      async () => {
        await lock(page);
        await check(page, width, 'locked identity');
        expect(blockingOn(width, ['locked identity'])).toEqual([]);
        console.log(
          `axe-core at ${width} size over ${screensChecked[width]!.length} screens, violations by impact: ` +
            `${counts(width)} (slowest axe run so far ${Math.round(Math.max(...axeMs))} ms)`,
        );
        expect(screensChecked[width]).toHaveLength(15);
        // The app probes its own origin for a node serving it (/v1/status); the test's app server is not one, and
        // Chromium logs that 404 as a console error: a probe's answer, not an error of the app.
        expect(device.errors.filter((e) => !/^console: Failed to load resource/.test(e))).toEqual([]);
        expect(device.external).toEqual([]);
      },
      STAGE_MS,
    );
  });
}
