// Revealing a retrieved Bitcoin key takes a fresh confirmation (issue 17, item 3), here for a passkey identity in
// Chromium against a real node: Retrieve shows the address with no passkey asked; Reveal makes a new assertion with
// user verification (the virtual authenticator's signature count goes up), and the key shown owns the address; when
// the authenticator's user verification fails, Reveal shows why and no key.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressOf } from '../../src/plugins/bitcoin/address.ts';
import { network } from '../../src/plugins/bitcoin/network.ts';
import { addNode, createIdentity, openApp } from './app.ts';
import { type AppContext, addVirtualAuthenticator, newAppContext, type VirtualAuthenticator } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let device: AppContext;
let authenticator: VirtualAuthenticator;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'reveal node', corsOrigins: [world.app.origin] });
  device = await newAppContext(world.browser, world.cleanup);
  const page = await device.newPage();
  authenticator = await addVirtualAuthenticator(page);
  await openApp(page, world.app.origin);
  await createIdentity(page, 'Hal', 'passkey');
  await addNode(page, node.url);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** The virtual authenticator's signature count: one more for each assertion it made. */
async function signCount(): Promise<number> {
  const [credential] = (await authenticator.credentials()) as { signCount: number }[];
  return credential?.signCount ?? 0;
}

describe('revealing a Bitcoin key with a passkey identity', () => {
  it('the address at once; the key only after a new passkey assertion, and not when it fails', async () => {
    const page = device.context.pages()[0]!;
    await page.goto(`${world.app.origin}/#/bitcoin`);
    await page.getByTestId('bitcoin-network').selectOption('regtest');
    await page.getByTestId('bitcoin-address-type').selectOption('p2wpkh');
    await page.getByTestId('bitcoin-submit').click();
    const ordered = page.getByTestId('bitcoin-ordered');
    await ordered.waitFor({ timeout: LIMITS.slowMs });
    const address = (await ordered.getByTestId('bitcoin-address').locator('code').textContent())?.trim() ?? '';
    await ordered.getByTestId('bitcoin-order-link').click();
    const before = await signCount();
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
    await expect(page.getByTestId('retrieved-address').locator('code').textContent()).resolves.toBe(address);
    expect(await signCount()).toBe(before); // retrieving the address asked nothing of the person
    expect(await page.getByLabel("The identity's name, to reveal or copy the key").count()).toBe(0); // a passkey

    await page.getByTestId('retrieved-key-hex-reveal').click();
    const hex = (await page.getByTestId('retrieved-key-hex').textContent({ timeout: LIMITS.slowMs }))?.trim() ?? '';
    expect(await signCount()).toBeGreaterThan(before);
    expect(addressOf('p2wpkh', secp256k1.Point.BASE.multiply(BigInt(`0x${hex}`)), network('regtest'))).toBe(address);
    await page.getByTestId('retrieved-key-hex-reveal').click(); // Hide

    // From here on the authenticator's user verification fails (a wrong PIN, no fingerprint).
    await authenticator.cdp.send('WebAuthn.setUserVerified', {
      authenticatorId: authenticator.id,
      isUserVerified: false,
    });
    await page.getByTestId('retrieved-wif-reveal').click();
    await page.getByText('The passkey request was cancelled', { exact: false }).waitFor({ timeout: LIMITS.slowMs });
    expect(await page.getByTestId('retrieved-wif').count()).toBe(0);
    expect(await page.getByTestId('retrieved-key-hex').count()).toBe(0);
    expect(device.errors).toEqual([]);
  });
});
