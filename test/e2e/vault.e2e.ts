// The vault against a stolen disk and an unattended screen (issue 17, items 1 and 6) in Chromium with a CDP virtual
// authenticator (PRF): after a passkey is added, the profile's files on disk hold neither the old device-sealed
// record nor the device key; a passkey is offered when the identity is created; a backup export and removing the
// passkey each need a fresh user verification; the identity locks itself after a short configured idle time; a
// backup passphrase needs 12 characters and a strength estimate, or a generated recovery phrase.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, createIdentity, goTo, identityCid, openApp, unlock } from './app.ts';
import {
  type AppContext,
  addVirtualAuthenticator,
  CHROMIUM_ARGS,
  DESKTOP,
  newAppContext,
  type VirtualAuthenticator,
} from './browser.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** The vault's database as the page sees it (same origin): each record's protection and sealed bytes, and keys. */
function vaultOnPage(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('dta-vault');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((resolve, reject) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => resolve(r.result as T[]);
        r.onerror = () => reject(r.error);
      });
    const records = await all<{ protection: string; secrets: { ciphertext: Uint8Array } }>('identities');
    const deviceKeys = await all<unknown>('deviceKeys');
    db.close();
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return {
      records: records.map((r) => ({ protection: r.protection, ciphertext: hex(r.secrets.ciphertext) })),
      deviceKeys: deviceKeys.length,
    };
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(path)));
    else if (e.isFile()) out.push(path);
  }
  return out;
}

/** Every file of the profile's IndexedDB folder, read from disk. */
async function indexedDbFiles(profile: string): Promise<Buffer[]> {
  const files = await filesUnder(join(profile, 'Default', 'IndexedDB'));
  return Promise.all(files.map((f) => readFile(f)));
}

/**
 * The raw bytes of every AES-256-GCM CryptoKey serialized in `files`: Blink writes a CryptoKey as 'K', 1 (AES),
 * 9 (AES-GCM), 32 (length in bytes), the usages byte, 32 (key length), then the 32 key bytes.
 */
function serializedAesKeys(files: readonly Buffer[]): Buffer[] {
  const keys: Buffer[] = [];
  for (const b of files) {
    for (let i = b.indexOf(0x4b); i >= 0 && i + 38 <= b.length; i = b.indexOf(0x4b, i + 1)) {
      if (b[i + 1] === 1 && b[i + 2] === 9 && b[i + 3] === 32 && b[i + 5] === 32) keys.push(b.subarray(i + 6, i + 38));
    }
  }
  return keys;
}

const holds = (files: readonly Buffer[], bytes: Buffer) => files.some((f) => f.includes(bytes));

async function signCount(authenticator: VirtualAuthenticator): Promise<number> {
  const creds = (await authenticator.credentials()) as { signCount: number }[];
  expect(creds).toHaveLength(1);
  return creds[0]!.signCount;
}

const STRONG = 'tangerine orbit fossil meadow';

describe('the vault', () => {
  it('adding a passkey removes the device key and the old record from the disk (stolen-disk check)', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'dta-e2e-vault-profile-'));
    world.cleanup.add('the vault profile', () => rm(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: LIMITS.launchMs,
      viewport: DESKTOP,
    });
    world.cleanup.add('the Chromium with the vault profile', () => context.close());
    context.setDefaultTimeout(LIMITS.uiMs);
    const page = await context.newPage();
    await openApp(page, world.app.origin);
    await addVirtualAuthenticator(page);
    await createIdentity(page, 'dora', 'device');

    const before = await vaultOnPage(page);
    expect(before.records.map((r) => r.protection)).toEqual(['device']);
    expect(before.deviceKeys).toBe(1);
    const oldCiphertext = Buffer.from(before.records[0]!.ciphertext, 'hex');
    const filesBefore = await indexedDbFiles(profile);
    // The method finds what it looks for: the sealed record and one device key are on disk now.
    expect(holds(filesBefore, oldCiphertext)).toBe(true);
    const deviceKeys = serializedAesKeys(filesBefore);
    expect(deviceKeys.length).toBeGreaterThanOrEqual(1);

    await goTo(page, '/keys', 'Identity');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByTestId('passkey-on').waitFor({ timeout: LIMITS.slowMs });
    expect(await page.getByTestId('passkey-earlier-copies').textContent()).toContain('made before now');
    const after = await vaultOnPage(page);
    expect(after.records.map((r) => r.protection)).toEqual(['passkey']);
    expect(after.deviceKeys).toBe(0);
    await context.close();

    const filesAfter = await indexedDbFiles(profile);
    expect(filesAfter.length).toBeGreaterThan(0);
    expect(holds(filesAfter, oldCiphertext)).toBe(false);
    for (const key of deviceKeys) expect(holds(filesAfter, key)).toBe(false);
    expect(serializedAesKeys(filesAfter)).toEqual([]);
  });

  describe('with a passkey from the start', () => {
    let device: AppContext;
    let page: Page;
    let authenticator: VirtualAuthenticator;

    beforeAll(async () => {
      device = await newAppContext(world.browser, world.cleanup);
      page = await device.newPage();
      await openApp(page, world.app.origin);
      authenticator = await addVirtualAuthenticator(page);
      await page.reload(); // the form asks the browser about authenticators when it appears
      await openApp(page, world.app.origin);
    });

    it('offers the passkey first when the identity is created; no device key is ever stored', async () => {
      const form = page.getByRole('form', { name: 'Create an identity' });
      await expect
        .poll(() => form.getByRole('radio', { name: /^A passkey/ }).isChecked(), { timeout: LIMITS.uiMs })
        .toBe(true);
      const cid = await createIdentity(page, 'erin');
      const creds = (await authenticator.credentials()) as { rpId: string }[];
      expect(creds.map((c) => c.rpId)).toEqual(['localhost']); // made at creation, the only one
      const vault = await vaultOnPage(page);
      expect(vault.records.map((r) => r.protection)).toEqual(['passkey']);
      expect(vault.deviceKeys).toBe(0);
      await goTo(page, '/keys', 'Identity');
      await page.getByRole('button', { name: 'Lock' }).click();
      await unlock(page, 'erin', 'Unlock with passkey');
      expect(await identityCid(page)).toBe(cid);
    });

    it('a backup export asks the passkey again (a fresh user verification)', async () => {
      await goTo(page, '/keys/backup', 'Export a backup');
      await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
      await page.getByLabel('Passphrase again').fill(STRONG);
      const exportButton = page.getByRole('button', { name: 'Export backup file' });
      await expect.poll(() => exportButton.isEnabled(), { timeout: LIMITS.uiMs }).toBe(true);
      const count = await signCount(authenticator);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: LIMITS.slowMs }),
        exportButton.click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^dta-erin-.{8}\.dtabackup$/);
      await page.getByTestId('backup-saved').waitFor({ timeout: LIMITS.slowMs });
      expect(await signCount(authenticator)).toBe(count + 1); // one assertion, made for this export
    });

    it('removing the passkey asks the passkey again, then seals under a new device key', async () => {
      await goTo(page, '/keys', 'Identity');
      const count = await signCount(authenticator);
      await page.getByRole('button', { name: 'Stop using the passkey' }).click();
      await page.getByRole('button', { name: 'Add a passkey' }).waitFor({ timeout: LIMITS.slowMs });
      expect(await signCount(authenticator)).toBe(count + 1);
      const vault = await vaultOnPage(page);
      expect(vault.records.map((r) => r.protection)).toEqual(['device']);
      expect(vault.deviceKeys).toBe(1);
    });

    it('a backup passphrase: 12 characters and hard to guess, or a generated recovery phrase', async () => {
      await goTo(page, '/keys/backup', 'Export a backup');
      const reason = page.getByTestId('backup-reason');
      const exportButton = page.getByRole('button', { name: 'Export backup file' });
      await page.getByLabel('Passphrase', { exact: true }).fill('short pass');
      expect(await reason.textContent()).toContain('at least 12 characters (10 so far)');
      expect(await exportButton.isDisabled()).toBe(true);
      await page.getByLabel('Passphrase', { exact: true }).fill('password1234');
      await expect.poll(() => reason.textContent(), { timeout: LIMITS.uiMs }).toContain('Too easy to guess');
      expect(await page.getByTestId('backup-strength').getAttribute('data-score')).toMatch(/^[0-2]$/);
      await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
      await page.getByLabel('Passphrase again').fill(STRONG);
      // A device-key identity now: its name typed again is the confirmation.
      expect(await reason.textContent()).toContain("Type the identity's name to confirm.");
      await page.getByLabel("The identity's name, to confirm").fill('erin');
      expect(await reason.count()).toBe(0);
      expect(await exportButton.isEnabled()).toBe(true);

      await page.getByRole('button', { name: 'Generate a recovery phrase instead' }).click();
      const phrase = (await page.getByTestId('recovery-phrase').textContent()) ?? '';
      expect(phrase.split(' ')).toHaveLength(8);
      expect(await page.getByLabel('Passphrase', { exact: true }).inputValue()).toBe(phrase);
      expect(await reason.count()).toBe(0);
      const [download] = await Promise.all([
        page.waitForEvent('download', { timeout: LIMITS.slowMs }),
        exportButton.click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.dtabackup$/);
    });

    it('locks itself after the configured idle time, and the keys are gone from the worker', async () => {
      await goTo(page, '/keys', 'Identity');
      const minutes = page.getByLabel('Lock after this many idle minutes');
      await expect.poll(() => minutes.inputValue(), { timeout: LIMITS.uiMs }).toBe('15');
      await minutes.fill('0.1');
      await page.getByRole('form', { name: 'Auto-lock' }).getByRole('button', { name: 'Save' }).click();
      await page.getByTestId('auto-lock-saved').waitFor();
      const t0 = Date.now();
      await page.getByRole('heading', { name: 'Unlock your identity' }).waitFor({ timeout: 20_000 });
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThan(4_000);
      await expect(page.getByTestId('identity-chip').textContent()).resolves.toContain('Locked');
      await unlock(page, 'erin', 'Unlock');
    });

    it('without user verification, neither a backup export nor removing the passkey goes through', async () => {
      await goTo(page, '/keys', 'Identity');
      await page.getByRole('button', { name: 'Add a passkey' }).click();
      await page.getByTestId('passkey-on').waitFor({ timeout: LIMITS.slowMs });
      // From here on the authenticator's user verification fails (a wrong PIN, no fingerprint).
      await authenticator.cdp.send('WebAuthn.setUserVerified', {
        authenticatorId: authenticator.id,
        isUserVerified: false,
      });
      await page.getByRole('button', { name: 'Stop using the passkey' }).click();
      await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
      expect((await alerts(page)).join(' ')).toContain('The passkey request was cancelled');
      expect((await vaultOnPage(page)).records.map((r) => r.protection)).toEqual(['passkey']);

      await goTo(page, '/keys/backup', 'Export a backup');
      await page.getByLabel('Passphrase', { exact: true }).fill(STRONG);
      await page.getByLabel('Passphrase again').fill(STRONG);
      const exportButton = page.getByRole('button', { name: 'Export backup file' });
      await expect.poll(() => exportButton.isEnabled(), { timeout: LIMITS.uiMs }).toBe(true);
      let downloads = 0;
      page.on('download', () => downloads++);
      await exportButton.click();
      await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
      expect((await alerts(page)).join(' ')).toContain('The passkey request was cancelled');
      expect(await page.getByTestId('backup-saved').count()).toBe(0);
      expect(downloads).toBe(0);
      expect(device.errors).toEqual([]);
      expect(device.external).toEqual([]);
    });
  });
});
