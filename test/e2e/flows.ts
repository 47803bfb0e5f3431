/**
 * Steps shared by the flow files (safeguard, bitcoin, M-Pin): a person on their own device with an identity,
 * and adding a real node on the Nodes screen (its identity read from /.well-known/dta and verified; this
 * identity registered with it).
 * @module
 */
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { type AppContext, newAppContext } from './browser.ts';
import { type Cleanup, LIMITS } from './limits.ts';

export interface Person {
  readonly device: AppContext;
  readonly page: Page;
  readonly cid: string;
}

/** A new device (browser context) with the app open and an identity `name` created and unlocked. */
export async function newPerson(browser: Browser, cleanup: Cleanup, origin: string, name: string): Promise<Person> {
  const device = await newAppContext(browser, cleanup);
  const page = await device.newPage();
  await page.goto(`${origin}/`);
  await page
    .locator('#self-test[data-state="done"]:not([data-self-test="running"])')
    .waitFor({ timeout: LIMITS.loadMs });
  expect(await page.locator('#self-test').textContent()).toBe('core self-test: passed');
  await page.getByRole('form', { name: 'Create an identity' }).getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create identity' }).click();
  await page.getByText(`Signed in as ${name}`).waitFor({ timeout: LIMITS.slowMs });
  await page.goto(`${origin}/#/keys`);
  const cid = (await page.getByTestId('identity-cid').locator('code').textContent())?.trim() ?? '';
  expect(cid).toMatch(/^bafy[a-z2-7]+$/);
  return { device, page, cid };
}

/** Adds the node at `url` on the Nodes screen; checks the identity the app verified is `identity`. */
export async function addNode(page: Page, origin: string, node: { url: string; cid: string }): Promise<void> {
  await page.goto(`${origin}/#/nodes`);
  await page.getByTestId('node-url-input').fill(node.url);
  await page.getByTestId('node-add').click();
  await page.getByTestId('node-added').waitFor({ timeout: LIMITS.slowMs });
  const item = page.locator(`[data-testid="node-item"][data-node-url="${node.url}"]`);
  await expect(item.getByTestId('node-identity').locator('code').textContent()).resolves.toBe(node.cid);
}
