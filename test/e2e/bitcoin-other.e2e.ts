// A Bitcoin key ordered for ANOTHER identity, in Chromium, between two people on their own devices (browser
// contexts) and a real node. The beneficiary makes key cards on its Bitcoin page (a fresh public key of its own,
// signed by its identity, shown as a QR code and as text); the principal reads one by pasting the text, and
// another from a picture of the QR code, orders with each and sees the address and the order id. The beneficiary
// adds the orders and retrieves the keys: each recovered key owns the address the principal saw (checked here,
// outside the app). The principal cannot retrieve; a card for another network, and a card used before, are
// refused with a readable error.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/plugins/bitcoin/address.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { alerts } from './app.ts';
import { screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { qrPng, uploadQr } from './qr.ts';
import { startWorld, type World } from './world.ts';

const PREFIX = 'dta:bitcoin-key:';

let world: World;
let node: E2eNode;
let bea: Person; // the beneficiary
let paul: Person; // the principal
/** What the principal saw for each order. */
const ordered: Array<{ id: string; address: string; type: 'p2wpkh' | 'p2tr'; via: string }> = [];
const cards: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'bitcoin node', corsOrigins: [world.app.origin] });
  bea = await newPerson(world.browser, world.cleanup, world.app.origin, 'Bea');
  paul = await newPerson(world.browser, world.cleanup, world.app.origin, 'Paul');
  // Adding the node registers each identity with it: the node must know the beneficiary to check its card.
  await addNode(bea.page, world.app.origin, node);
  await addNode(paul.page, world.app.origin, node);
});

afterAll(async () => {
  await world?.cleanup.run();
});

async function bitcoinPage(page: Page): Promise<void> {
  await page.goto(`${world.app.origin}/#/bitcoin`);
  await page.getByRole('heading', { level: 1, name: 'Bitcoin key' }).waitFor();
}

/** The beneficiary makes a key card for `net`; returns its text (the QR code shows the same text). */
async function createCard(net: 'regtest' | 'testnet'): Promise<string> {
  const page = bea.page;
  await bitcoinPage(page);
  await page.getByTestId('bitcoin-card-network').selectOption(net);
  const items = page.getByTestId('bitcoin-keycard-item');
  const cidsOf = async () =>
    Promise.all((await items.all()).map(async (i) => (await i.getAttribute('data-card-cid')) ?? ''));
  const before = await cidsOf();
  await page.getByTestId('bitcoin-card-create').click();
  // The new card is listed, and it is the one shown (not a card shown before).
  await expect.poll(() => items.count(), { timeout: LIMITS.slowMs }).toBe(before.length + 1);
  const cid = (await cidsOf()).find((c) => !before.includes(c))!;
  const card = page.locator(`[data-testid="bitcoin-keycard"][data-card-cid="${cid}"]`);
  await card.waitFor();
  await expect(card.getAttribute('data-network')).resolves.toBe(net);
  await expect(card.getAttribute('data-index')).resolves.toBe(String(before.length)); // a fresh index each time
  const text = (await card.getByTestId('bitcoin-keycard-text').locator('code').textContent())?.trim() ?? '';
  expect(text.startsWith(PREFIX)).toBe(true);
  expect(text.slice(PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
  await expect(card.getByTestId('bitcoin-keycard-qr').getAttribute('data-payload')).resolves.toBe(text);
  return text;
}

/** The principal fills the order form for another identity; `card` fills the key card field (or was scanned). */
async function fillOrder(type: 'p2wpkh' | 'p2tr', net: 'regtest' | 'testnet', card?: string): Promise<void> {
  const page = paul.page;
  await expect(page.getByTestId('bitcoin-node').inputValue()).resolves.toBe(node.url);
  await page.getByTestId('bitcoin-network').selectOption(net);
  await page.getByTestId('bitcoin-address-type').selectOption(type);
  await page.getByTestId('bitcoin-beneficiary-other').check();
  if (card !== undefined) await page.getByTestId('bitcoin-card-input').fill(card);
}

/** Submits the order and reads what the principal is shown. */
async function submitOrder(type: 'p2wpkh' | 'p2tr', via: string): Promise<{ id: string; address: string }> {
  const page = paul.page;
  await page.getByTestId('bitcoin-submit').click();
  const done = page.getByTestId('bitcoin-ordered');
  await done.waitFor({ timeout: LIMITS.slowMs });
  await expect(done.getAttribute('data-role')).resolves.toBe('principal');
  const address = (await done.getByTestId('bitcoin-address').locator('code').textContent())?.trim() ?? '';
  expect(address).toMatch(type === 'p2wpkh' ? /^bcrt1q[02-9ac-hj-np-z]{38}$/ : /^bcrt1p[02-9ac-hj-np-z]{58}$/);
  const id = (await done.getByTestId('bitcoin-order-id').locator('code').textContent())?.trim() ?? '';
  expect(id).toMatch(/^bafy/);
  await expect(done.getAttribute('data-order-id')).resolves.toBe(id);
  ordered.push({ id, address, type, via });
  // The node has the order between these two identities, committed for the network and type chosen on screen.
  const view = await getJson<{ order: { principal: string; beneficiary: string; status: string } }>(
    node,
    `/v1/orders/${id}`,
  );
  expect(view.body.order).toMatchObject({ principal: paul.cid, beneficiary: bea.cid, status: 'open' });
  // Committed for the network and type chosen on screen (from the node's verified reply); details not public.
  await expect(done.getAttribute('data-network')).resolves.toBe('regtest');
  await expect(done.getAttribute('data-address-type')).resolves.toBe(type);
  expect((await getJson(node, `/v1/plugins/bitcoin/orders/${id}`)).status).toBe(404);
  return { id, address };
}

describe('bitcoin for another identity: key cards, two devices, one node', () => {
  it('the beneficiary creates a key card, shown as a QR code and as text', async () => {
    cards.push(await createCard('regtest'));
    await screenshots(bea.page, 'bitcoin-keycard');
  });

  it("the principal pastes the card's text, orders, and sees the address and the order id", async () => {
    await bitcoinPage(paul.page);
    await fillOrder('p2tr', 'regtest', cards[0]!);
    await expect(paul.page.getByTestId('bitcoin-card-info').textContent()).resolves.toMatch(
      /Key card for regtest, signed by bafy/,
    );
    await screenshots(paul.page, 'bitcoin-other-form');
    await submitOrder('p2tr', 'pasted text');
    await screenshots(paul.page, 'bitcoin-other-ordered');
  });

  it('the principal reads another card from a picture of its QR code, and orders', async () => {
    cards.push(await createCard('regtest'));
    const png = await qrPng(bea.page, 'bitcoin-keycard-qr');
    await bitcoinPage(paul.page);
    await fillOrder('p2wpkh', 'regtest');
    await uploadQr(paul.page, 'bitcoin-card-scan', png);
    await expect
      .poll(() => paul.page.getByTestId('bitcoin-card-input').inputValue(), { timeout: LIMITS.slowMs })
      .toBe(cards[1]);
    await submitOrder('p2wpkh', 'QR image');
    expect(ordered[1]!.address).not.toBe(ordered[0]!.address);
  });

  it('a card for another network, and a card already used, are refused with a readable error', async () => {
    const testnet = await createCard('testnet');
    const page = paul.page;
    await bitcoinPage(page);
    await fillOrder('p2wpkh', 'regtest', testnet);
    await page.getByTestId('bitcoin-submit').click();
    await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
    expect((await alerts(page)).join('\n')).toMatch(/this key card is for testnet, but the order is for regtest/i);
    await screenshots(page, 'bitcoin-keycard-wrong-network');

    await page.getByRole('button', { name: 'Dismiss' }).click();
    await page.getByTestId('bitcoin-card-input').fill(cards[0]!);
    await page.getByTestId('bitcoin-submit').click();
    await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
    expect((await alerts(page)).join('\n')).toMatch(/already used this key card .*ask the beneficiary for a new card/i);
    expect(await page.getByTestId('bitcoin-ordered').count()).toBe(0);
    // Nothing more was ordered.
    await bitcoinPage(page);
    await expect.poll(() => page.getByTestId('bitcoin-order-item').count()).toBe(2);
  });

  it('the principal cannot retrieve the key', async () => {
    const page = paul.page;
    const { id } = ordered[0]!;
    await page.goto(`${world.app.origin}/#/orders/${id}`);
    await expect(page.getByTestId('order-beneficiary').getAttribute('data-cid')).resolves.toBe(bea.cid);
    await expect(page.getByTestId('bitcoin-address').locator('code').textContent()).resolves.toBe(ordered[0]!.address);
    expect(await page.getByTestId('retrieve').count()).toBe(0);
  });

  it('the beneficiary adds each order and retrieves a key that owns the address the principal saw', async () => {
    const page = bea.page;
    for (const o of ordered) {
      await page.goto(`${world.app.origin}/#/orders`);
      await page.getByTestId('import-plugin').selectOption('bitcoin');
      await expect(page.getByTestId('import-node').inputValue()).resolves.toBe(node.url);
      await page.getByTestId('import-order-id').fill(o.id);
      await page.getByTestId('import-order-submit').click();
      await page.waitForURL(new RegExp(`#/orders/${o.id}$`), { timeout: LIMITS.slowMs });
      await expect(page.getByTestId('bitcoin-address').locator('code').textContent()).resolves.toBe(o.address);
      await page.getByTestId('retrieve').click();
      await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
      const shownAddress = page.getByTestId('retrieved-address').locator('code');
      await expect(shownAddress.textContent(), o.via).resolves.toBe(o.address);
      await page.getByLabel("The identity's name, to reveal or copy the key").fill('Bea'); // a fresh confirmation
      await page.getByTestId('retrieved-key-hex-reveal').click(); // masked until revealed
      const hex = (await page.getByTestId('retrieved-key-hex').textContent())?.trim() ?? '';
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
      // Outside the app: the key's public point gives the address the principal was shown.
      expect(addressOf(o.type, secp256k1.Point.BASE.multiply(BigInt(`0x${hex}`)), network('regtest'))).toBe(o.address);
      if (o === ordered[0]) await screenshots(page, 'bitcoin-other-retrieved');
      await page.getByTestId('forget-secret').click();
      const after = await getJson<{ order: { status: string; beneficiary: string } }>(node, `/v1/orders/${o.id}`);
      expect(after.body.order).toMatchObject({ status: 'redeemed', beneficiary: bea.cid });
    }
  });

  it("the beneficiary's cards are listed and shown again; those used are marked", async () => {
    const page = bea.page;
    await bitcoinPage(page);
    const items = page.getByTestId('bitcoin-keycard-item');
    await expect.poll(() => items.count()).toBe(3);
    const first = page.locator('[data-testid="bitcoin-keycard-item"][data-index="0"]');
    await expect(first.getAttribute('data-network')).resolves.toBe('regtest');
    await expect(first.textContent()).resolves.toMatch(/used by order/);
    await first.getByTestId('bitcoin-keycard-show').click();
    await expect(page.getByTestId('bitcoin-keycard-text').locator('code').textContent()).resolves.toBe(cards[0]);
    await screenshots(page, 'bitcoin-keycards');
  });

  it('no page error and no request off loopback on either device', () => {
    for (const d of [bea.device, paul.device]) {
      expect(d.errors).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
