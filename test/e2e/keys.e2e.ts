// Keys on the device (issue 5, item 2) in Chromium: an identity created in the worker and sealed in IndexedDB
// under a non-extractable WebCrypto key; lock and unlock across a reload; a passkey with the PRF extension on a
// CDP virtual authenticator protecting the keys (unlock needs it; without it, a readable refusal); an encrypted
// backup exported on one device and imported on another (wrong passphrase refused); keyboard only.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts, createIdentity, goTo, identityCid, lock, openApp, unlock } from './app.ts';
import { type AppContext, addVirtualAuthenticator, newAppContext, screenshots } from './browser.ts';
import { LIMITS } from './limits.ts';
import { startWorld, type World } from './world.ts';

let world: World;
const devices: AppContext[] = [];
/** The first device's page, with alice's identity. */
let alicePage: Page;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.cleanup.run();
});

async function device(): Promise<{ device: AppContext; page: Page }> {
  const d = await newAppContext(world.browser, world.cleanup);
  devices.push(d);
  const page = await d.newPage();
  await openApp(page, world.app.origin);
  return { device: d, page };
}

/** What the vault's IndexedDB holds, as the page can see it (the worker writes it; same origin, same database). */
function vaultContents(page: Page) {
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
    const records = await all<{
      cid: string;
      protection: string;
      secrets: { iv: Uint8Array; ciphertext: Uint8Array };
      document: Uint8Array;
    }>('identities');
    // Each device-protected identity's own key, stored as {key, pad} (the pad puts it in a file of its own).
    const deviceKeys = await all<{ key: unknown }>('deviceKeys');
    const keys = deviceKeys.map((v) => v.key).filter((k): k is CryptoKey => k instanceof CryptoKey);
    const exported = await Promise.all(
      keys.map((k) =>
        crypto.subtle.exportKey('raw', k).then(
          () => 'exported',
          (e: Error) => e.name,
        ),
      ),
    );
    db.close();
    return {
      records: records.map((r) => ({
        cid: r.cid,
        protection: r.protection,
        iv: r.secrets.iv.length,
        ciphertext: r.secrets.ciphertext.length,
      })),
      keys: keys.map((k) => ({
        extractable: k.extractable,
        algorithm: (k.algorithm as AesKeyAlgorithm).name,
        length: (k.algorithm as AesKeyAlgorithm).length,
      })),
      exported,
    };
  });
}

describe('keys on the device', () => {
  it('creates an identity whose secrets are sealed under a non-extractable device key', async () => {
    const { page } = await device();
    await screenshots(page, 'home-new-device');
    await expect(page.getByRole('heading', { name: 'Create your identity' }).isVisible()).resolves.toBe(true);
    alicePage = page;
    const cid = await createIdentity(page, 'alice');
    await goTo(page, '/keys', 'Identity');
    await expect(page.getByTestId('identity-name').textContent()).resolves.toBe('alice');
    await screenshots(page, 'identity');
    const vault = await vaultContents(page);
    expect(vault.records).toEqual([{ cid, protection: 'device', iv: 12, ciphertext: expect.any(Number) }]);
    expect(vault.keys).toEqual([{ extractable: false, algorithm: 'AES-GCM', length: 256 }]);
    expect(vault.exported).toEqual(['InvalidAccessError']); // no script can read the key's bytes
    await goTo(page, '/', 'dta');
    await screenshots(page, 'home');
  });

  it('locks, stays locked across a reload, and unlocks', async () => {
    const page = alicePage;
    const cid = await identityCid(page);
    await lock(page);
    await page.reload();
    await expect(page.getByTestId('identity-chip').textContent()).resolves.toContain('Locked');
    await page.getByRole('heading', { name: 'Unlock your identity' }).waitFor();
    await expect(page.getByText(/alice .* is locked\./).isVisible()).resolves.toBe(true);
    await screenshots(page, 'unlock');
    await unlock(page, 'alice', 'Unlock');
    expect(await identityCid(page)).toBe(cid);
  });

  it('a passkey (WebAuthn PRF, virtual authenticator) protects the keys; unlocking needs it', async () => {
    const { page } = await device();
    const authenticator = await addVirtualAuthenticator(page);
    const cid = await createIdentity(page, 'bob', 'device');
    await goTo(page, '/keys', 'Identity');
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    await page.getByTestId('passkey-on').waitFor({ timeout: LIMITS.slowMs });
    expect(await alerts(page)).toEqual([]);
    const creds = (await authenticator.credentials()) as { rpId: string; isResidentCredential: boolean }[];
    expect(creds).toHaveLength(1);
    expect(creds[0]!.rpId).toBe('localhost');
    const vault = await vaultContents(page);
    expect(vault.records).toEqual([{ cid, protection: 'passkey', iv: 12, ciphertext: expect.any(Number) }]);
    await screenshots(page, 'identity-passkey');

    await lock(page);
    await page.reload();
    await page.getByTestId('unlock').filter({ hasText: 'Unlock with passkey' }).waitFor();
    await unlock(page, 'bob', 'Unlock with passkey');
    expect(await identityCid(page)).toBe(cid);

    // Without the credential on the authenticator, unlocking is refused with a readable error.
    await lock(page);
    await authenticator.cdp.send('WebAuthn.clearCredentials', { authenticatorId: authenticator.id });
    await page.getByTestId('unlock').click();
    await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
    expect((await alerts(page)).join(' ')).toContain(
      'The passkey request was cancelled, timed out, or was not allowed.',
    );
    await expect(page.getByTestId('identity-chip').textContent()).resolves.toContain('Locked');
  });

  it('exports an encrypted backup and imports it on another device (a wrong passphrase is refused)', async () => {
    const page = alicePage;
    const cid = await identityCid(page);
    await goTo(page, '/keys/backup', 'Export a backup');
    const passphrase = 'correct horse battery staple';
    await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
    await page.getByLabel('Passphrase again').fill(`${passphrase}!`);
    await page.getByText('The two passphrases differ.').waitFor();
    await expect(page.getByRole('button', { name: 'Export backup file' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('Passphrase again').fill(passphrase);
    // A device-key identity confirms an export by its name typed again (a passkey one, by its passkey).
    await page.getByLabel("The identity's name, to confirm").fill('alice');
    await screenshots(page, 'backup-export');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: LIMITS.slowMs }),
      page.getByRole('button', { name: 'Export backup file' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^dta-alice-.{8}\.dtabackup$/);
    await page.getByTestId('backup-saved').waitFor({ timeout: LIMITS.slowMs });
    const file = await download.path();

    const { page: other } = await device();
    await goTo(other, '/keys/import', 'Import a backup');
    await other.getByLabel('Backup file').setInputFiles(file);
    await other.getByLabel('Passphrase').fill('not the passphrase');
    await other.getByRole('button', { name: 'Import' }).click();
    await other.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
    expect((await alerts(other)).join(' ')).toContain('Wrong passphrase, or the file was changed.');
    await screenshots(other, 'backup-import-refused');
    await other.getByLabel('Passphrase').fill(passphrase);
    await other.getByRole('button', { name: 'Import' }).click();
    await other.getByTestId('identity-details').waitFor({ timeout: LIMITS.slowMs });
    expect(await identityCid(other)).toBe(cid);
  });

  it('works from the keyboard alone: create an identity with Tab, typing and Enter', async () => {
    const { page } = await device();
    let onName = false;
    for (let i = 0; i < 25 && !onName; i++) {
      await page.keyboard.press('Tab');
      onName = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name === 'name');
    }
    expect(onName).toBe(true);
    await page.keyboard.type('carol');
    await page.keyboard.press('Enter');
    await page.getByText('Signed in as carol').waitFor({ timeout: LIMITS.slowMs });
  });

  it('no page error and no request off loopback', () => {
    for (const d of devices) {
      expect(d.errors).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
