// Threshold custody in the app (issue 11, item 6) against real nodes with the custody plugin (three, a fourth
// later): the principal adds the three nodes, the form proposes 2 of 3, two groups are ordered for the person
// herself (each node's share dealt in the worker, the progress shown per node, the group on the order page: which
// node holds which share);
// one node stopped, the secret retrieved from the two others (the stopped one named as down); a group ordered while
// that node is down shows it refused, and is completed once it is back; a node whose kept share was altered on
// disk is named as a liar and the secret still comes back from the others; a group reshared from the order page to a
// committee with one node replaced gives the secret back from the new committee; a group ordered for someone else
// is added on their device from its order ids and retrieved there. Screenshots at phone and desk sizes.
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { alterShare, type CustodyNodes, startCustodyNodes } from '../app/custody-nodes.ts';
import { DESKTOP, fitsWidth, PHONE, screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let fleet: CustodyNodes;
let paul: Person;
let bea: Person;
const groups: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  const dir = await mkdtemp(join(inject('homesRoot'), 'dta-e2e-custody-'));
  fleet = await startCustodyNodes(dir, 4, { corsOrigins: [world.app.origin] });
  world.cleanup.add('the custody nodes', () => fleet.stopAll());
}, 120_000);

afterAll(async () => {
  await world?.cleanup.run();
});

/** Screenshots at both sizes; at phone width nothing may be wider than the screen. */
async function shoot(page: Page, name: string): Promise<void> {
  await screenshots(page, name);
  await page.setViewportSize(PHONE);
  expect(await fitsWidth(page), `${name} fits ${PHONE.width} px`).toBe(true);
  await page.setViewportSize(DESKTOP);
}

/** Opens a group's order page and waits for its shares to show. */
async function openGroup(page: Page, id: string): Promise<void> {
  await page.goto(`${world.app.origin}/#/orders/${id}`);
  await page.getByTestId('custody-members').waitFor({ timeout: LIMITS.slowMs });
}

/** Each share's state on the group's page (holds, refused, …), by index. */
async function states(page: Page, list: string): Promise<string[]> {
  const rows = page.getByTestId(list).getByTestId('custody-node');
  const out: string[] = [];
  for (const r of await rows.all()) out.push((await r.getAttribute('data-state')) ?? '');
  return out;
}

/** Orders `secret` for the person over the three nodes with the form's proposed threshold; the order id. */
async function orderGroup(page: Page, secret: string): Promise<string> {
  await page.goto(`${world.app.origin}/#/orders`);
  await page.getByTestId('new-custody').click();
  await page.getByRole('heading', { level: 1, name: 'Threshold custody' }).waitFor();
  await expect.poll(() => page.getByTestId('custody-node-choice').count()).toBe(3);
  await expect(page.getByTestId('custody-threshold').inputValue()).resolves.toBe('2');
  await expect(page.getByTestId('custody-t-of-n').textContent()).resolves.toBe('2 of 3 nodes');
  await page.getByTestId('custody-secret').fill(secret);
  if (groups.length === 0) {
    await shoot(page, 'custody-new');
  }
  await page.getByTestId('custody-submit').click();
  await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
  return decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
}

async function retrieve(page: Page): Promise<string> {
  await page.getByTestId('retrieve').click();
  await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
  await page.getByTestId('retrieved-secret-reveal').click(); // masked until revealed
  return (await page.getByTestId('retrieved-secret').textContent()) ?? '';
}

describe('threshold custody in the app, real nodes', () => {
  it('the principal adds the three nodes and orders two 2-of-3 groups; every node holds its share', async () => {
    paul = await newPerson(world.browser, world.cleanup, world.app.origin, 'Paul');
    // The fourth node is added later, to reshare a group to it.
    for (const i of [0, 1, 2]) await addNode(paul.page, world.app.origin, { url: fleet.urls[i]!, cid: fleet.cids[i]! });
    const page = paul.page;
    for (const secret of ['first: the vault code is 4711', 'second: the boat is called Ümlaut']) {
      const id = await orderGroup(page, secret);
      await openGroup(page, id);
      await expect(states(page, 'custody-members')).resolves.toEqual(['holds', 'holds', 'holds']);
      const fact = page.getByTestId('custody-threshold-fact');
      await expect(fact.getAttribute('data-t')).resolves.toBe('2');
      await expect(fact.getAttribute('data-n')).resolves.toBe('3');
      await expect(page.getByTestId('custody-group').locator('code').textContent()).resolves.toMatch(/^bafy/);
      groups.push(id);
      expect(await page.content()).not.toContain('4711');
    }
    await shoot(page, 'custody-group');
  });

  it('with one node stopped the secret comes back from the other two, the stopped one named', async () => {
    const page = paul.page;
    await fleet.stop(2);
    await openGroup(page, groups[0]!);
    await expect(retrieve(page)).resolves.toBe('first: the vault code is 4711');
    await expect(states(page, 'custody-answers')).resolves.toEqual(['good', 'good', 'failed']);
    await shoot(page, 'custody-retrieved');
    await page.getByTestId('forget-secret').click();
    expect(await page.getByTestId('retrieved-secret').count()).toBe(0);
  });

  it('a group ordered while a node is down shows it refused and is completed once it is back', async () => {
    const page = paul.page;
    const id = await orderGroup(page, 'third: ordered with a node down');
    await openGroup(page, id);
    await expect(states(page, 'custody-members')).resolves.toEqual(['holds', 'holds', 'refused']);
    await expect(
      page.getByTestId('custody-members').getByTestId('custody-node-reason').first().textContent(),
    ).resolves.toMatch(/\S/);
    await shoot(page, 'custody-incomplete');
    await fleet.start(2);
    await page.getByTestId('custody-complete').click();
    await expect
      .poll(() => states(page, 'custody-members'), { timeout: LIMITS.slowMs })
      .toEqual(['holds', 'holds', 'holds']);
    expect(await page.getByTestId('custody-complete').count()).toBe(0);
    groups.push(id);
  });

  it('a node whose kept share was altered is named as a liar; the secret comes back from the others', async () => {
    const page = paul.page;
    const second = groups[1]!;
    await openGroup(page, second);
    const order = await page
      .getByTestId('custody-members')
      .locator('[data-testid="custody-node"][data-index="2"]')
      .getAttribute('data-order');
    await fleet.stop(1);
    await alterShare(fleet.homes[1]!, order ?? '');
    await fleet.start(1);
    await expect(retrieve(page)).resolves.toBe('second: the boat is called Ümlaut');
    await expect(page.getByTestId('custody-liars').textContent()).resolves.toMatch(/node 2/);
    await expect(states(page, 'custody-answers')).resolves.toEqual(['good', 'wrong', 'good']);
    await shoot(page, 'custody-liar');
  });

  it('reshares a group to a committee with node 3 replaced by node 4; the new committee gives it back', async () => {
    const page = paul.page;
    await addNode(page, world.app.origin, { url: fleet.urls[3]!, cid: fleet.cids[3]! });
    await openGroup(page, groups[2]!);
    const before = await page.getByTestId('custody-group').locator('code').textContent();
    await page.getByTestId('custody-reshare').locator('summary').click();
    const choice = (i: number) =>
      page
        .getByTestId('custody-reshare')
        .locator(`[data-testid="custody-node-choice"][data-node-url="${fleet.urls[i]}"]`);
    await expect.poll(() => choice(2).isChecked()).toBe(true);
    await choice(2).uncheck();
    await choice(3).check();
    await expect(page.getByTestId('custody-reshare-threshold').inputValue()).resolves.toBe('2');
    await page.getByTestId('custody-reshare-submit').click();
    await page.getByTestId('custody-reshared').waitFor({ timeout: LIMITS.slowMs });
    await expect(page.getByTestId('custody-reshared').textContent()).resolves.toMatch(/every old holder deleted/);
    await expect(page.getByTestId('custody-reshared-from').textContent()).resolves.toBe(before);
    const urls = await page
      .getByTestId('custody-members')
      .getByTestId('custody-node')
      .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-node-url')} ${r.getAttribute('data-state')}`));
    expect(urls).toEqual([0, 1, 3].map((i) => `${fleet.urls[i]} holds`));
    await shoot(page, 'custody-reshared');
    await fleet.stop(2);
    await expect(retrieve(page)).resolves.toBe('third: ordered with a node down');
    await expect(states(page, 'custody-answers')).resolves.toEqual(['good', 'good', 'good']);
  });

  it('a beneficiary on another device adds the group from its order ids and retrieves the secret', async () => {
    await fleet.start(2);
    bea = await newPerson(world.browser, world.cleanup, world.app.origin, 'Bea');
    for (const i of [0, 1, 2]) await addNode(bea.page, world.app.origin, { url: fleet.urls[i]!, cid: fleet.cids[i]! });
    const page = paul.page;
    await page.goto(`${world.app.origin}/#/custody/new`);
    await expect.poll(() => page.getByTestId('custody-node-choice').count()).toBe(4);
    await page.locator(`[data-testid="custody-node-choice"][data-node-url="${fleet.urls[3]}"]`).uncheck();
    await expect(page.getByTestId('custody-t-of-n').textContent()).resolves.toBe('2 of 3 nodes');
    await page.getByTestId('custody-beneficiary-other').check();
    await page.getByTestId('custody-beneficiary-cid').fill(bea.cid);
    await page.getByTestId('custody-secret').fill('for Bea: the key is under the mat');
    await page.getByTestId('custody-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    await page.getByTestId('custody-for-beneficiary').waitFor({ timeout: LIMITS.slowMs });
    const ids = (await page.getByTestId('custody-for-beneficiary').locator('code').textContent()) ?? '';
    expect(ids.split(' ')).toHaveLength(3);
    expect(await page.getByTestId('retrieve').count()).toBe(0);
    await bea.page.goto(`${world.app.origin}/#/custody/new`);
    await bea.page.getByTestId('custody-add-link').click();
    await bea.page.getByTestId('custody-import-orders').fill(ids);
    await bea.page.getByTestId('custody-import-submit').click();
    await bea.page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    await bea.page.getByTestId('custody-members').waitFor({ timeout: LIMITS.slowMs });
    await expect(states(bea.page, 'custody-members')).resolves.toEqual(['holds', 'holds', 'holds']);
    await expect(retrieve(bea.page)).resolves.toBe('for Bea: the key is under the mat');
    await shoot(bea.page, 'custody-beneficiary');
  });

  it('no page error and no request off loopback', () => {
    // Nodes are stopped on purpose here: a request to one (e.g. "orders for you" asking every node) is refused, and
    // Chromium logs that refusal; the app's own handling of it is asserted above (the stopped node named).
    const refused = /Failed to load resource: net::ERR_CONNECTION_REFUSED/;
    for (const p of [paul, bea]) {
      expect(p.device.errors.filter((e) => !refused.test(e))).toEqual([]);
      expect(p.device.external).toEqual([]);
    }
  });
});
