/**
 * What a person does in the app, as Playwright steps on the page: open it, create an identity, lock and
 * unlock, move between screens. Selectors are roles, labels and visible text first; data-testid only where
 * the app publishes one for a value (a CID) rather than a control.
 * @module
 */
import { createHash } from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { LIMITS } from './limits.ts';

/** The app at `path` (a hash route such as '/keys'). */
export function appUrl(origin: string, path = '/'): string {
  return `${origin}/#${path}`;
}

/**
 * Waits until the worker is up and the core's self-test, which runs once the first screen shows, passed (the footer
 * says so).
 */
export async function waitForCore(page: Page): Promise<void> {
  await page
    .locator('#self-test[data-state="done"]:not([data-self-test="running"])')
    .waitFor({ timeout: LIMITS.loadMs });
  expect(await page.locator('#self-test').textContent()).toBe('core self-test: passed');
}

/** Opens the app at `path` and waits for the core. */
export async function openApp(page: Page, origin: string, path = '/'): Promise<void> {
  await page.goto(appUrl(origin, path));
  await waitForCore(page);
}

/** Goes to another screen the way a link does (hash change), and waits for its heading. */
export async function goTo(page: Page, path: string, heading?: string | RegExp): Promise<void> {
  await page.evaluate((p) => (location.hash = `#${p}`), path);
  if (heading) await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/**
 * Creates an identity from the start screen (a device with none); returns its CID from the identity screen.
 * `protection` picks what seals the keys; otherwise the form's default (a passkey when the browser reports an
 * authenticator that can do it, the device key without one).
 */
export async function createIdentity(page: Page, name: string, protection?: 'passkey' | 'device'): Promise<string> {
  const form = page.getByRole('form', { name: 'Create an identity' });
  await form.getByLabel('Name').fill(name);
  if (protection)
    await form.getByRole('radio', { name: protection === 'passkey' ? /^A passkey/ : /^This browser/ }).check();
  await page.getByRole('button', { name: 'Create identity' }).click();
  await page.getByText(`Signed in as ${name}`).waitFor({ timeout: LIMITS.slowMs });
  return identityCid(page);
}

/** The unlocked identity's CID, read from the identity screen (then back where it was). */
export async function identityCid(page: Page): Promise<string> {
  const back = await page.evaluate(() => location.hash.replace(/^#/, '') || '/');
  await goTo(page, '/keys', 'Identity');
  const cid = (await page.getByTestId('identity-cid').locator('code').textContent())?.trim() ?? '';
  expect(cid).toMatch(/^bafy[a-z2-7]+$/);
  if (back !== '/keys') await goTo(page, back);
  return cid;
}

/** Locks the identity from the identity screen. */
export async function lock(page: Page): Promise<void> {
  await goTo(page, '/keys', 'Identity');
  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('heading', { name: 'Unlock your identity' }).waitFor();
}

/** Unlocks with the button shown (device key or passkey); waits until the identity's details are shown. */
export async function unlock(page: Page, name: string, button: string | RegExp = /^Unlock/): Promise<void> {
  await page.getByTestId('unlock').filter({ hasText: button }).click();
  await page.getByTestId('identity-chip').filter({ hasText: name }).waitFor({ timeout: LIMITS.slowMs });
}

/** The text of the alert(s) the page shows (readable errors). */
export async function alerts(page: Page): Promise<string[]> {
  return page.getByRole('alert').allInnerTexts();
}

/** "a1b2 c3d4 e5f6 0718": how the app shows an identity's fingerprint (first 8 bytes of its CID's SHA-256). */
export function fingerprintOf(documentBytes: Uint8Array): string {
  return createHash('sha256').update(documentBytes).digest('hex').slice(0, 16).match(/.{4}/g)!.join(' ');
}

/** Adds the node at `url` on the Nodes screen; returns the fingerprint the app shows for it. */
export async function addNode(page: Page, url: string): Promise<string> {
  await goTo(page, '/nodes', 'Nodes');
  await page.getByLabel('Node URL').fill(url);
  await page.getByRole('button', { name: 'Add node' }).click();
  const added = page.getByTestId('node-added');
  await added.waitFor({ timeout: LIMITS.slowMs });
  return (await added.locator('code').textContent())?.trim() ?? '';
}

/** The node's item on the Nodes screen. */
export function nodeItem(page: Page, url: string) {
  return page.locator(`[data-testid="node-item"][data-node-url="${url}"]`);
}
