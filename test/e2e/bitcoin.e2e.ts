// The Bitcoin flow (issue 5, items 4 and 6) in Chromium against a real node: order a key shared between the node
// (its share f) and this device (its share b, in the worker), see the verified address at once, then retrieve
// the key as beneficiary on the order's page. The recombined private key is checked here, outside the app:
// its public key gives the very address that was ordered (P2WPKH and P2TR, regtest).
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/plugins/bitcoin/address.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let me: Person;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'bitcoin node', corsOrigins: [world.app.origin] });
  me = await newPerson(world.browser, world.cleanup, world.app.origin, 'Satoshi');
  await addNode(me.page, world.app.origin, node);
});

afterAll(async () => {
  await world?.cleanup.run();
});

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (b) => parseInt(b, 16));
}

describe('bitcoin flow: order a key, see its address, retrieve the key as beneficiary', () => {
  for (const type of ['p2wpkh', 'p2tr'] as const) {
    it(`${type}: the address shown at ordering is the one the retrieved key owns`, async () => {
      const page = me.page;
      await page.goto(`${world.app.origin}/#/bitcoin`);
      await page.getByRole('heading', { level: 1, name: 'Bitcoin key' }).waitFor();
      await expect(page.getByTestId('bitcoin-node').inputValue()).resolves.toBe(node.url);
      await page.getByTestId('bitcoin-network').selectOption('regtest');
      await page.getByTestId('bitcoin-address-type').selectOption(type);
      await page.getByTestId('bitcoin-label').fill(`e2e ${type}`);
      await page.getByTestId('bitcoin-submit').click();
      const ordered = page.getByTestId('bitcoin-ordered');
      await ordered.waitFor({ timeout: LIMITS.slowMs });
      const address = (await ordered.getByTestId('bitcoin-address').locator('code').textContent())?.trim() ?? '';
      expect(address).toMatch(type === 'p2wpkh' ? /^bcrt1q[02-9ac-hj-np-z]{38}$/ : /^bcrt1p[02-9ac-hj-np-z]{58}$/);
      const orderId = (await ordered.getAttribute('data-order-id')) ?? '';
      expect(orderId).toMatch(/^bafy/);
      expect((await getJson(node, `/v1/orders/${orderId}`)).status).toBe(200);
      // The node committed its share for this order, for the network and address type chosen on screen (the app
      // shows them from the node's signed, verified reply); the commitment's details are not public.
      await expect(ordered.getAttribute('data-network')).resolves.toBe('regtest');
      await expect(ordered.getAttribute('data-address-type')).resolves.toBe(type);
      expect((await getJson(node, `/v1/plugins/bitcoin/orders/${orderId}`)).status).toBe(404);
      if (type === 'p2wpkh') await screenshots(page, 'bitcoin-ordered');

      await ordered.getByTestId('bitcoin-order-link').click();
      await page.waitForURL(new RegExp(`#/orders/${orderId}$`));
      await expect(page.getByTestId('bitcoin-address').locator('code').textContent()).resolves.toBe(address);
      await page.getByTestId('retrieve').click();
      await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
      await expect(page.getByTestId('retrieved-address').locator('code').textContent()).resolves.toBe(address);
      // The key itself only on the person's fresh confirmation: this device-key identity's name, typed again.
      await page.getByTestId('retrieved-key-hex-reveal').click();
      await page.getByText(/needs a fresh confirmation/i).waitFor({ timeout: LIMITS.slowMs });
      expect(await page.getByTestId('retrieved-key-hex').count()).toBe(0);
      await page.getByLabel("The identity's name, to reveal or copy the key").fill('Satoshi');
      await page.getByTestId('retrieved-key-hex-reveal').click(); // masked until revealed
      const hex = (await page.getByTestId('retrieved-key-hex').textContent())?.trim() ?? '';
      expect(hex).toMatch(/^[0-9a-f]{64}$/);
      if (type === 'p2wpkh') await screenshots(page, 'bitcoin-retrieved');
      // Outside the app: the key's public point gives the ordered address.
      const point = secp256k1.Point.BASE.multiply(BigInt(`0x${hex}`));
      expect(addressOf(type, point, network('regtest'))).toBe(address);
      expect(hexToBytes(hex)).toHaveLength(32);
      const after = await getJson<{ order: { status: string; beneficiary: string } }>(node, `/v1/orders/${orderId}`);
      expect(after.body.order).toMatchObject({ status: 'redeemed', beneficiary: me.cid });
      await page.getByTestId('forget-secret').click();
      expect(await page.getByTestId('retrieved-key-hex').count()).toBe(0);
    });
  }

  it('both orders are listed on the Bitcoin screen', async () => {
    await me.page.goto(`${world.app.origin}/#/bitcoin`);
    await expect.poll(() => me.page.getByTestId('bitcoin-order-item').count(), { timeout: LIMITS.uiMs }).toBe(2);
  });

  it('no page error and no request off loopback', () => {
    expect(me.device.errors).toEqual([]);
    expect(me.device.external).toEqual([]);
  });
});
