// The guided first run at phone size, on a node that serves the app (issue 14, Deliver 2 and 3): Paula creates
// her identity and Home leads her on: storage persistence asked at once (refused, as headless Chromium does: Home
// and the Identity page say what it means), a backup, the node serving the app in
// one click, her first order, for Bea. The order's page tells her what to send Bea (id, node, link, QR). Bea, on
// her own device, sees the order under "Orders for you" without being told its id, opens it, and the parties are
// named ("you", "Paula"); Paula's share link opens "Add an order" filled in.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createIdentity, goTo, waitForCore } from './app.ts';
import { type AppContext, newAppContext, PHONE, screenshots } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let paula: { device: AppContext; page: Page; cid: string };
let bea: { device: AppContext; page: Page; cid: string };
let orderId: string;
let shareLink: string;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, {
    name: 'Harbor',
    corsOrigins: [world.app.origin],
    appRoot: inject('appDir'),
  });
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** A phone with the app opened from the node and an identity created. */
async function phone(name: string) {
  const device = await newAppContext(world.browser, world.cleanup, { viewport: PHONE, acceptDownloads: true });
  const page = await device.newPage();
  await page.goto(`${node.url}/`);
  await waitForCore(page);
  const cid = await createIdentity(page, name);
  await goTo(page, '/', 'dta');
  return { device, page, cid };
}

const step = (page: Page, id: string) => page.getByTestId(`step-${id}`);

async function stepDone(page: Page, id: string): Promise<void> {
  await page.locator(`[data-testid="step-${id}"][data-done="true"]`).waitFor({ timeout: LIMITS.slowMs });
}

/** Adds the node serving the app from Home's next step, in one click. */
async function addServingNode(page: Page): Promise<void> {
  const add = page.getByTestId('add-serving-node');
  await expect(add.textContent()).resolves.toContain('Add the node serving this app');
  await add.click();
  await stepDone(page, 'node');
  await goTo(page, '/nodes', 'Nodes');
  await expect(page.locator(`[data-testid="node-item"][data-node-url="${node.url}"]`).textContent()).resolves.toContain(
    'Harbor',
  );
  await goTo(page, '/', 'dta');
}

describe('first run on a phone, on a node serving the app', () => {
  it('asks for persistent storage at once, and says on the Identity page what a refusal means', async () => {
    bea = await phone('Bea');
    paula = await phone('Paula');
    const { page } = paula;
    await page.getByTestId('next-steps').waitFor();
    await stepDone(page, 'persist'); // asked: the browser answered one way or the other
    const persisted = () => page.evaluate(() => navigator.storage.persisted());
    if (!(await persisted())) {
      await page.getByTestId('persist-refused').waitFor();
      await goTo(page, '/keys', 'Identity');
      await expect(page.getByTestId('persistence-warning').textContent()).resolves.toContain(
        'This browser may delete your keys',
      );
      await expect(page.getByRole('button', { name: 'Ask the browser again' }).isEnabled()).resolves.toBe(true);
      await screenshots(page, 'first-run-persistence-refused');
    } else {
      await goTo(page, '/keys', 'Identity');
      await expect(page.getByTestId('persistence-warning').count()).resolves.toBe(0); // kept: nothing to warn of
    }
    await goTo(page, '/', 'dta');
  });

  it('offers a backup next, then the node serving the app in one click', async () => {
    const { page } = paula;
    await expect(step(page, 'backup').getAttribute('aria-current')).resolves.toBe('step');
    await screenshots(page, 'first-run-next-step');
    await step(page, 'backup').getByRole('link', { name: 'Export a backup' }).click();
    await page.getByRole('heading', { level: 1, name: 'Export a backup' }).waitFor();
    const passphrase = 'correct horse battery staple';
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Passphrase again').fill(passphrase);
    const confirm = page.getByLabel("The identity's name, to confirm");
    if ((await confirm.count()) > 0) await confirm.fill('Paula');
    await Promise.all([
      page.waitForEvent('download', { timeout: LIMITS.slowMs }),
      page.getByRole('button', { name: 'Export backup file' }).click(),
    ]);
    await goTo(page, '/', 'dta');
    await stepDone(page, 'backup');
    await expect(step(page, 'node').getAttribute('aria-current')).resolves.toBe('step');
    await addServingNode(page);
    await addServingNode(bea.page);
  });

  it('leads to the first order, whose page says what to send the beneficiary', async () => {
    const { page } = paula;
    await step(page, 'order').getByRole('link', { name: 'Safeguard a secret' }).click();
    await page.getByRole('heading', { level: 1, name: 'Safeguard a secret' }).waitFor();
    await expect(page.getByTestId('safeguard-node').inputValue()).resolves.toBe(node.url);
    await page.getByTestId('secret-input').fill('the boat key is under the third plank');
    await page.getByTestId('beneficiary-other').check();
    await page.getByTestId('beneficiary-cid').fill(bea.cid);
    await page.getByTestId('secret-label').fill('boat key');
    await page.getByTestId('safeguard-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    orderId = decodeURIComponent(page.url().split('#/orders/')[1]!);
    const panel = page.getByTestId('share-panel');
    await panel.waitFor();
    await expect(panel.getByTestId('share-order-id').locator('code').textContent()).resolves.toBe(orderId);
    await expect(panel.getByTestId('share-node').locator('code').textContent()).resolves.toBe(node.url);
    shareLink = (await panel.getByTestId('share-link').locator('code').textContent()) ?? '';
    const query = new URLSearchParams(shareLink.split('#/orders/add?')[1]);
    expect({ order: query.get('order'), node: query.get('node') }).toEqual({ order: orderId, node: node.url });
    await expect(panel.getByTestId('share-qr').getAttribute('data-payload')).resolves.toBe(shareLink);
    await expect(page.getByTestId('order-principal').getAttribute('data-cid')).resolves.toBe(paula.cid);
    await expect(page.getByTestId('order-principal').locator('summary').textContent()).resolves.toBe('you');
    await screenshots(page, 'first-run-share-panel');
    await goTo(page, '/', 'dta');
    await page.getByTestId('orders-for-you-empty').waitFor({ timeout: LIMITS.slowMs }); // Paula's is for Bea
    await expect(page.getByTestId('next-steps').count()).resolves.toBe(0); // every step done
  });

  it("the share link opens Add an order filled in, on the beneficiary's device", async () => {
    const { page } = bea;
    await page.goto(shareLink.replace(/^[^#]*/, `${node.url}/`));
    await page.getByRole('heading', { level: 1, name: 'Add an order' }).waitFor();
    await expect(page.getByTestId('import-order-id').inputValue()).resolves.toBe(orderId);
    await expect(page.getByTestId('import-node').inputValue()).resolves.toBe(node.url);
    await screenshots(page, 'first-run-add-order-link');
  });

  it('the beneficiary finds the order under "Orders for you" without its id and sees the parties by name', async () => {
    const { page } = bea;
    await goTo(page, '/', 'dta');
    const entry = page.locator(`[data-testid="order-for-you"][data-order-id="${orderId}"]`);
    await entry.waitFor({ timeout: LIMITS.slowMs });
    await expect(entry.getByTestId('order-for-you-from').textContent()).resolves.toBe('Paula');
    await screenshots(page, 'first-run-orders-for-you');
    await entry.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(new RegExp(`#/orders/${orderId}$`), { timeout: LIMITS.slowMs });
    await expect(page.getByTestId('order-beneficiary').locator('summary').textContent()).resolves.toBe('you');
    await page
      .locator('[data-testid="order-principal"] summary', { hasText: 'Paula' })
      .waitFor({ timeout: LIMITS.slowMs }); // named once the chain check has read Paula's identity document
    await expect(page.getByTestId('share-panel').count()).resolves.toBe(0); // for her: nothing to send
    const reply = page.locator('[data-testid="chain-step"][data-type="safeguard/order-reply"]');
    await expect(reply.getByTestId('step-sender').textContent()).resolves.toBe('Harbor'); // the node, by its name
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    expect(paula.device.errors.concat(bea.device.errors)).toEqual([]);
  });
});
