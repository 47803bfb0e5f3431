// Release conditions in the app (issue 15, item 5), at phone size, against a real node whose clock the test moves
// (days pass without waiting): Paul orders two secrets for Bea with a 30-day dead man's switch; the order page says
// when it releases unless he checks in; 25 days later Home reminds him, he checks in and the date moves 25 days on;
// Bea is refused in plain words ("Not yet: Paul's switch releases on …"); past the new deadline she retrieves the
// secret; the second order, cancelled by Paul after a fresh confirmation, shows Bea "Cancelled". A browser's clock
// is moved with the node's where it stamps a request (a node refuses requests outside its freshness window).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDay } from '../../src/app/orders/conditions/words.ts';
import { PHONE, screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

const DAY = 86_400_000;
const SECRET = 'the deeds are in the blue folder';

let world: World;
let node: E2eNode;
let paul: Person;
let bea: Person;
/** How far the node's clock is ahead of the real one. */
let shift = 0;
const orders: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, {
    name: 'fiduciary',
    corsOrigins: [world.app.origin],
    now: () => Date.now() + shift,
  });
  const person = async (name: string) => {
    const p = await newPerson(world.browser, world.cleanup, world.app.origin, name);
    await p.page.setViewportSize(PHONE);
    await addNode(p.page, world.app.origin, node);
    return p;
  };
  [paul, bea] = await Promise.all([person('Paul'), person('Bea')]);
}, 120_000);

afterAll(async () => {
  await world?.cleanup.run();
});

/** Moves the node's clock, and `people`'s browsers with it, to `days` after now. */
async function daysLater(days: number, people: readonly Person[]): Promise<void> {
  shift = days * DAY;
  for (const p of people) await p.page.clock.setFixedTime(Date.now() + shift);
}

/** The order page's release line: its kind, its date (ms) and its words, once the page has verified the chain. */
async function releaseState(page: Page): Promise<{ kind: string; at: number; text: string }> {
  const state = page.getByTestId('release-state');
  await state.waitFor({ timeout: LIMITS.slowMs });
  return {
    kind: (await state.getAttribute('data-release')) ?? '',
    at: Number(await state.getAttribute('data-at')),
    text: (await state.textContent()) ?? '',
  };
}

async function openOrder(page: Page, id: string): Promise<void> {
  await page.goto(`${world.app.origin}/#/orders/${id}`);
  await page.getByTestId('order-summary').waitFor({ timeout: LIMITS.slowMs });
}

/** Paul orders a typed secret for Bea, released only if he does not check in for 30 days; the order id. */
async function orderForBea(label: string): Promise<string> {
  const page = paul.page;
  await page.goto(`${world.app.origin}/#/orders/new`);
  await page.getByRole('heading', { level: 1, name: 'Safeguard a secret' }).waitFor();
  await page.getByTestId('secret-input').fill(SECRET);
  await page.getByTestId('beneficiary-other').check();
  await page.getByTestId('beneficiary-cid').fill(bea.cid);
  await page.getByTestId('condition-check-in').check();
  await page.getByTestId('check-in-days').fill('30');
  await page.getByTestId('secret-label').fill(label);
  await page.getByTestId('safeguard-submit').click();
  await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
  return decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
}

/** Bea adds an order by its id; its page opens. */
async function beaAdds(id: string): Promise<void> {
  const page = bea.page;
  await page.goto(`${world.app.origin}/#/orders`);
  await page.getByTestId('import-plugin').selectOption('safeguard');
  await page.getByTestId('import-order-id').fill(id);
  await page.getByTestId('import-order-submit').click();
  await page.waitForURL(new RegExp(`#/orders/${id}$`), { timeout: LIMITS.slowMs });
}

describe('a dead man’s switch in the app: order, check in, refused, released; a cancel', () => {
  let firstDeadline = 0;

  it('Paul orders two secrets for Bea with a 30-day switch; the page says when they release', async () => {
    const before = Date.now();
    orders.push(await orderForBea('the deeds'), await orderForBea('the old will'));
    await openOrder(paul.page, orders[0]!);
    const state = await releaseState(paul.page);
    expect(state.kind).toBe('waiting');
    // From the node's time of its reply to the order: 30 days after it.
    expect(state.at).toBeGreaterThanOrEqual(before + 30 * DAY);
    expect(state.at).toBeLessThan(Date.now() + 30 * DAY);
    expect(state.text).toBe(`Releases on ${formatDay(state.at)} unless you check in`);
    expect(await paul.page.getByTestId('release-conditions').textContent()).toContain(
      "Only if you don't check in for 30 days",
    );
    // The condition is in the order Paul signed, and the node keeps it.
    const { body } = await getJson<{ history: { type: string }[] }>(node, `/v1/orders/${orders[0]}`);
    expect(body.history.map((h) => h.type)).toEqual(['safeguard/order', 'safeguard/order-reply']);
    firstDeadline = state.at;
  });

  it('25 days later Home reminds Paul; he checks in and the date moves 25 days on', async () => {
    await daysLater(25, [paul]);
    const page = paul.page;
    await page.goto(`${world.app.origin}/#/`);
    const reminder = page.locator(`[data-testid="release-reminder-item"][data-order="${orders[0]}"]`);
    await reminder.waitFor({ timeout: LIMITS.slowMs });
    expect(await reminder.textContent()).toContain(`Releases on ${formatDay(firstDeadline)} unless you check in`);
    await screenshots(page, 'conditions-reminder');
    await openOrder(page, orders[0]!);
    await page.getByTestId('release-reminder').waitFor();
    await page.getByTestId('check-in').click();
    await page.locator('[data-testid="release-node"][data-state="done"]').waitFor({ timeout: LIMITS.slowMs });
    await expect
      .poll(async () => (await releaseState(page)).at, { timeout: LIMITS.uiMs })
      .toBeGreaterThan(firstDeadline + 24 * DAY);
    const moved = await releaseState(page);
    expect(moved.at).toBeLessThanOrEqual(firstDeadline + 26 * DAY);
    expect(moved.text).toBe(`Releases on ${formatDay(moved.at)} unless you check in`);
    expect(await page.getByTestId('release-reminder').count()).toBe(0);
    // The check-in is on the order's chain, signed by Paul and answered by the node.
    const { body } = await getJson<{ history: { type: string }[] }>(node, `/v1/orders/${orders[0]}`);
    expect(body.history.map((h) => h.type).slice(2)).toEqual(['safeguard/check-in', 'safeguard/check-in-reply']);
  });

  it('Bea is refused before the new deadline, in plain words', async () => {
    await beaAdds(orders[0]!);
    const page = bea.page;
    // Bea's app verifies the chain with Paul's check-in on it (and so learns Paul's name from his identity).
    const verified = page.locator('[data-testid="chain-verified"]:not([data-verified="unknown"])');
    await verified.waitFor({ timeout: LIMITS.slowMs });
    expect(await verified.getAttribute('data-verified'), await verified.innerText()).toBe('true');
    const state = await releaseState(page);
    expect(state.text).toMatch(/^Not yet: Paul's switch releases on .* unless they check in$/);
    await page.getByTestId('retrieve').click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not yet' });
    await refusal.waitFor({ timeout: LIMITS.slowMs });
    const deadline = (await releaseState(paul.page)).at;
    expect(await refusal.locator('.error-message').textContent()).toContain(`releases on ${formatDay(deadline)}`);
    expect(await page.getByTestId('retrieved').count()).toBe(0);
  });

  it('past the deadline, Bea retrieves the secret', async () => {
    await daysLater(56, [bea]);
    const page = bea.page;
    await openOrder(page, orders[0]!);
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
    await page.getByTestId('retrieved-secret-reveal').click();
    await expect(page.getByTestId('retrieved-secret').textContent()).resolves.toBe(SECRET);
    const { body } = await getJson<{ order: { status: string } }>(node, `/v1/orders/${orders[0]}`);
    expect(body.order.status).toBe('redeemed');
    await page.getByTestId('forget-secret').click();
  });

  it('Paul cancels the second order after confirming; Bea sees it cancelled', async () => {
    await daysLater(56, [paul]);
    const page = paul.page;
    await openOrder(page, orders[1]!);
    await page.getByTestId('cancel-release').click();
    await expect(page.getByTestId('cancel-confirm').textContent()).resolves.toContain('delete the secret');
    // The release card with its warning open reads for assistive technology too (no serious or critical finding).
    const axe = await new AxeBuilder({ page }).include('[data-testid="release-panel"]').analyze();
    expect(axe.passes.length).toBeGreaterThan(3);
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    // Without the identity's name typed again, nothing is cancelled.
    await page.getByTestId('cancel-release-confirm').click();
    await page.getByRole('alert').filter({ hasText: "type the identity's name" }).waitFor();
    expect((await getJson<{ order: { status: string } }>(node, `/v1/orders/${orders[1]}`)).body.order.status).toBe(
      'open',
    );
    await page.getByTestId('cancel-name').fill('Paul');
    await page.getByTestId('cancel-release-confirm').click();
    await expect.poll(async () => (await releaseState(page)).kind, { timeout: LIMITS.slowMs }).toBe('cancelled');
    expect((await releaseState(page)).text).toBe('Cancelled: the nodes deleted the secret');
    expect((await getJson<{ order: { status: string } }>(node, `/v1/orders/${orders[1]}`)).body.order.status).toBe(
      'cancelled',
    );
    await beaAdds(orders[1]!);
    await expect(bea.page.getByTestId('order-state').textContent()).resolves.toBe('Cancelled');
    expect((await releaseState(bea.page)).text).toMatch(/^Cancelled: (Paul|the principal) cancelled the release$/);
    expect(await bea.page.getByTestId('retrieve').count()).toBe(0);
    await screenshots(bea.page, 'conditions-cancelled');
  });

  it('no page error and no request off loopback on either device (the refusals aside)', () => {
    // Bea's refusals (403 condition_not_met, 409 cancelled) are expected; so is the 401 stale of Home's "orders for
    // you", which the worker stamps with its own clock, one this test does not move with the node's.
    const refused =
      /Failed to load resource: the server responded with a status of (40[39]|401 .*\/v1\/beneficiaries\/)/;
    for (const d of [paul.device, bea.device]) {
      expect(d.errors.filter((e) => !refused.test(e))).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
