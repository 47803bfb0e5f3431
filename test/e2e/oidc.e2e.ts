// Receiving a secret by signing in at an OpenID Connect provider (issue 15, items 2, 3 and 5), in Chromium against
// a real provider (test/support/oidc-provider.ts: oidc-provider on loopback, its own login form) and three real
// custody nodes that trust it: Paul orders a 2-of-3 custody secret for "whoever signs in as alice@example.org" and
// gets a claim link; Alice, on a fresh device with no dta identity, opens the link, is sent to the provider (the
// real redirect, PKCE S256, state and nonce), signs in on its form, comes back and recovers the secret; the key made
// for the claim is gone from her device afterwards. Bob, signing in on the same link, is told in plain words that
// the secret is for another account and gets nothing. (The nodes' refusal matrix is test/node/oidc-*.test.ts.)
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type CustodyNodes, startCustodyNodes } from '../app/custody-nodes.ts';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.ts';
import { type AppContext, DESKTOP, fitsWidth, newAppContext, PHONE, screenshots } from './browser.ts';
import { addNode, newPerson } from './flows.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

const SECRET = 'the safe deposit box is number 2718';
const PROVIDER_NAME = 'Test Provider';

let world: World;
let provider: TestProvider;
let fleet: CustodyNodes;
let link: string;

beforeAll(async () => {
  world = await startWorld();
  // The provider sends people back to the app's own address (the claim page takes the answer from there).
  provider = await startTestProvider({ redirectUris: [`${world.app.origin}/`] });
  world.cleanup.add('the OIDC provider', () => provider.close());
  const oidc = { issuers: [{ issuer: provider.issuer, clientId: provider.clientId, name: PROVIDER_NAME }] };
  const dir = await mkdtemp(join(inject('homesRoot'), 'dta-e2e-oidc-'));
  fleet = await startCustodyNodes(dir, 3, { corsOrigins: [world.app.origin], config: { oidc } });
  world.cleanup.add('the custody nodes', () => fleet.stopAll());
}, 120_000);

afterAll(async () => {
  await world?.cleanup.run();
});

/** A fresh device (a phone for Alice) with no identity, on the claim link. */
async function openClaim(
  viewport: { width: number; height: number } = DESKTOP,
): Promise<{ page: Page; device: AppContext }> {
  const device = await newAppContext(world.browser, world.cleanup, { viewport });
  const page = await device.newPage();
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Receive a secret' }).waitFor({ timeout: LIMITS.loadMs });
  return { page, device };
}

/** Signs in at the provider as `username`, from the claim page, through its real login form. */
async function signIn(page: Page, username: string): Promise<void> {
  const button = page.getByTestId('claim-sign-in');
  await expect(button.textContent()).resolves.toBe(`Sign in with ${PROVIDER_NAME}`);
  await button.click();
  await page.waitForURL(`${provider.issuer}/**`, { timeout: LIMITS.slowMs });
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-password`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${world.app.origin}/#/claim/back`, { timeout: LIMITS.slowMs });
}

/** Rows in IndexedDB `db`'s store `store` on this device (0 when the database or store does not exist). */
function countIn(page: Page, db: string, store: string): Promise<number> {
  return page.evaluate(
    ([name, storeName]) =>
      new Promise<number>((resolve, reject) => {
        const req = indexedDB.open(name!);
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const d = req.result;
          if (!d.objectStoreNames.contains(storeName!)) return resolve(0);
          const count = d.transaction(storeName!).objectStore(storeName!).count();
          count.onsuccess = () => resolve(count.result);
          count.onerror = () => reject(count.error);
        };
      }),
    [db, store],
  );
}

/** Serious or critical accessibility findings on the page as it is. */
async function blocking(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.passes.length, 'axe-core checked the page').toBeGreaterThan(10);
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

describe('a secret for whoever signs in at a provider', () => {
  it('Paul orders a 2-of-3 custody secret for whoever signs in as alice@example.org and gets a claim link', async () => {
    const paul = await newPerson(world.browser, world.cleanup, world.app.origin, 'Paul');
    for (const i of [0, 1, 2]) await addNode(paul.page, world.app.origin, { url: fleet.urls[i]!, cid: fleet.cids[i]! });
    const page = paul.page;
    await page.goto(`${world.app.origin}/#/orders`);
    await page.getByTestId('new-custody').click();
    await expect.poll(() => page.getByTestId('custody-node-choice').count()).toBe(3);
    await expect(page.getByTestId('custody-t-of-n').textContent()).resolves.toBe('2 of 3 nodes');
    await page.getByTestId('custody-secret').fill(SECRET);
    await page.getByTestId('custody-condition-oidc').check({ timeout: LIMITS.slowMs });
    await page.getByTestId('custody-oidc-email').fill('alice@example.org');
    await page.getByTestId('custody-oidc-issuer').check();
    await page.getByTestId('custody-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    const shown = page.getByTestId('claim-link').locator('code');
    await shown.waitFor({ timeout: LIMITS.slowMs });
    link = (await shown.textContent()) ?? '';
    const query = new URLSearchParams(new URL(link).hash.split('?')[1]);
    expect(query.get('kind')).toBe('custody');
    expect(query.get('issuer')).toBe(provider.issuer);
    expect(query.getAll('node')).toEqual([...fleet.urls]);
    expect(query.getAll('nid')).toEqual([...fleet.cids]);
    expect(query.get('group')).toMatch(/^bafy/);
  });

  it('Alice, with no dta identity, signs in at the provider and recovers the secret', async () => {
    const { page, device } = await openClaim(PHONE);
    // The new screen passes axe-core (no serious or critical finding), as test/e2e/a11y.e2e.ts asks of every screen.
    await page.getByTestId('claim-sign-in').waitFor();
    expect(await blocking(page)).toEqual([]);
    await screenshots(page, 'claim');
    await signIn(page, 'alice');
    await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
    await expect(page.getByTestId('claim-signed-in-as').textContent()).resolves.toBe('Signed in as Alice@Example.org.');
    await page.getByTestId('retrieved-secret-reveal').click();
    await expect(page.getByTestId('retrieved-secret').textContent()).resolves.toBe(SECRET);
    expect(await fitsWidth(page), `the claim fits ${PHONE.width} px`).toBe(true);
    await screenshots(page, 'claim-received');
    expect(device.external, 'no request left loopback').toEqual([]);
    // The claim's key and its pending sign-in are gone; no identity was ever made in the vault.
    await expect(countIn(page, 'dta-oidc', 'pending')).resolves.toBe(0);
    await expect(countIn(page, 'dta-oidc', 'keys')).resolves.toBe(0);
    await expect(countIn(page, 'dta-vault', 'identities')).resolves.toBe(0);
  });

  it('Bob, signed in with his own account, is told the secret is for another account and gets nothing', async () => {
    const { page } = await openClaim();
    await signIn(page, 'bob');
    const refused = page.getByTestId('claim-refused');
    await refused.waitFor({ timeout: LIMITS.slowMs });
    await expect(refused.getAttribute('data-code')).resolves.toBe('oidc_wrong_subject');
    await expect(refused.textContent()).resolves.toContain(
      'You signed in as bob@example.org; this secret is for another account.',
    );
    expect(await page.getByTestId('retrieved').count()).toBe(0);
    await screenshots(page, 'claim-refused');
    const states = await page.getByTestId('claim-node').evaluateAll((rows) => rows.map((r) => r.dataset.state));
    expect(states).toEqual(['failed', 'failed', 'failed']);
    await page.getByTestId('claim-cancel').click();
    await page.getByTestId('claim-cancelled').waitFor();
    await expect(countIn(page, 'dta-oidc', 'pending')).resolves.toBe(0);
  });
});
