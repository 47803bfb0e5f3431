// The safeguard flow (issue 5, items 4 and 6) between two people, each in their own browser context (own
// IndexedDB, own worker keys), and a real fiduciary node: the beneficiary creates an identity and adds the node
// (which registers them); the principal adds the node, orders a typed secret for the beneficiary's CID and sees
// the order's envelope chain verified; the beneficiary adds the order by its id, sees that the principal's intent
// names it, retrieves the secret (checked against the node's commitment and the principal's deposit commitment)
// and sees the longer chain verified. The principal cannot retrieve it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let principal: Person;
let beneficiary: Person;
let orderId: string;
const SECRET = 'the vault code is 4711 — ünïcödé too';

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'fiduciary', corsOrigins: [world.app.origin] });
});

afterAll(async () => {
  await world?.cleanup.run();
});

async function person(name: string): Promise<Person> {
  const p = await newPerson(world.browser, world.cleanup, world.app.origin, name);
  // Adding the node reads and verifies its identity, and registers this identity with it.
  await addNode(p.page, world.app.origin, node);
  return p;
}

/** Waits for the order page's chain check and returns the steps' types and verification marks. */
async function verifiedChain(page: Page): Promise<Array<{ type: string; verified: string }>> {
  await page
    .locator('[data-testid="chain-verified"]:not([data-verified="unknown"])')
    .waitFor({ timeout: LIMITS.slowMs });
  expect(
    await page.getByTestId('chain-verified').getAttribute('data-verified'),
    await page.getByTestId('chain-verified').innerText(),
  ).toBe('true');
  const steps = page.getByTestId('chain-step');
  const out: Array<{ type: string; verified: string }> = [];
  for (const s of await steps.all()) {
    out.push({
      type: (await s.getAttribute('data-type')) ?? '',
      verified: (await s.getAttribute('data-verified')) ?? '',
    });
  }
  return out;
}

describe('safeguard flow: principal and beneficiary in two browser contexts, one fiduciary node', () => {
  it('both create identities on their own devices and add the node', async () => {
    beneficiary = await person('Bea');
    principal = await person('Paul');
    expect(principal.cid).not.toBe(beneficiary.cid);
    // The node now knows both identities (registered when the node was added).
    expect((await getJson(node, `/v1/identities/${beneficiary.cid}`)).status).toBe(200);
    expect((await getJson(node, `/v1/identities/${principal.cid}`)).status).toBe(200);
  });

  it('the principal orders a typed secret for the beneficiary; the chain verifies', async () => {
    const page = principal.page;
    await page.goto(`${world.app.origin}/#/orders`);
    await page.getByTestId('new-safeguard').click();
    await page.getByRole('heading', { level: 1, name: 'Safeguard a secret' }).waitFor();
    await expect(page.getByTestId('safeguard-node').inputValue()).resolves.toBe(node.url);
    await page.getByTestId('secret-input').fill(SECRET);
    await page.getByTestId('beneficiary-other').check();
    await page.getByTestId('beneficiary-cid').fill(beneficiary.cid);
    await page.getByTestId('secret-label').fill('for Bea');
    await screenshots(page, 'safeguard-new');
    await page.getByTestId('safeguard-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    orderId = decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
    await expect(page.getByTestId('order-id').locator('code').textContent()).resolves.toBe(orderId);
    await expect(page.getByTestId('order-principal').getAttribute('data-cid')).resolves.toBe(principal.cid);
    await expect(page.getByTestId('order-beneficiary').getAttribute('data-cid')).resolves.toBe(beneficiary.cid);
    const chain = await verifiedChain(page);
    expect(chain.length).toBeGreaterThanOrEqual(2);
    expect(chain.every((s) => s.verified === 'true')).toBe(true);
    // The secret is not on the principal's screen, and there is nothing for the principal to retrieve.
    expect(await page.content()).not.toContain('4711');
    expect(await page.getByTestId('retrieve').count()).toBe(0);
    await screenshots(page, 'safeguard-order-principal');
    // The node has the order.
    expect((await getJson(node, `/v1/orders/${orderId}`)).status).toBe(200);
  });

  it("the order is listed on the principal's device", async () => {
    const page = principal.page;
    await page.goto(`${world.app.origin}/#/orders`);
    await page.locator(`[data-testid="order-item"][data-order-id="${orderId}"]`).waitFor();
    await screenshots(page, 'orders-list');
  });

  it('the beneficiary adds the order by its id, retrieves the secret, and the longer chain verifies', async () => {
    const page = beneficiary.page;
    await page.goto(`${world.app.origin}/#/orders`);
    await page.getByTestId('orders-empty').waitFor();
    await page.getByTestId('import-plugin').selectOption('safeguard');
    await expect(page.getByTestId('import-node').inputValue()).resolves.toBe(node.url);
    await page.getByTestId('import-order-id').fill(orderId);
    await page.getByTestId('import-order-submit').click();
    await page.waitForURL(new RegExp(`#/orders/${orderId}$`), { timeout: LIMITS.slowMs });
    // The principal's intent, sealed to the beneficiary too, was opened in the worker and names it.
    await expect(page.getByTestId('order-intent').getAttribute('data-intent')).resolves.toBe('intent');
    await expect(page.getByTestId('order-intent').textContent()).resolves.toMatch(/signed by the principal/);
    const before = await verifiedChain(page);
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
    // Masked until revealed (the secret is not in the page before that).
    expect(await page.content()).not.toContain('4711');
    await page.getByTestId('retrieved-secret-reveal').click();
    await expect(page.getByTestId('retrieved-secret').textContent()).resolves.toBe(SECRET);
    // The node's side: the order is redeemed, between these two identities, by a redeem step on its chain.
    const { body } = await getJson<{
      order: { status: string; principal: string; beneficiary: string; plugin: string };
      history: { type: string }[];
    }>(node, `/v1/orders/${orderId}`);
    expect(body.order).toMatchObject({
      status: 'redeemed',
      plugin: 'safeguard',
      principal: principal.cid,
      beneficiary: beneficiary.cid,
    });
    expect(body.history.map((h) => h.type)).toEqual([
      'safeguard/order',
      'safeguard/order-reply',
      'safeguard/redeem',
      'safeguard/redeem-reply',
    ]);
    await screenshots(page, 'safeguard-retrieved');
    await page.getByTestId('verify-online').click();
    await expect
      .poll(async () => (await verifiedChain(page)).length, { timeout: LIMITS.slowMs })
      .toBeGreaterThan(before.length);
    const after = await verifiedChain(page);
    expect(after.every((s) => s.verified === 'true')).toBe(true);
    await page.getByTestId('forget-secret').click();
    expect(await page.getByTestId('retrieved-secret').count()).toBe(0);
  });

  it('no page error and no request off loopback on either device', () => {
    for (const d of [principal.device, beneficiary.device]) {
      expect(d.errors).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
