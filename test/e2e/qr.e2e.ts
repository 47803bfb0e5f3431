// QR codes between two devices (issue 5, item 4: "choose beneficiary: me, or an identity CID/QR"): the
// beneficiary shows its identity as a QR code on its Identity page; the principal, ordering a safeguarded
// secret, reads it with the camera (Chromium's fake camera filming the code) or from a picture of the
// beneficiary's screen, and the order names the beneficiary. Codes of another kind, images without a code and
// a browser without a camera give readable errors and leave the field as it was.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import encodeQR from 'qr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { cameraShowing, qrPng, uploadQr } from './qr.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let beneficiary: Person;
let principal: Person;
let beneficiaryQr: Buffer;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'fiduciary', corsOrigins: [world.app.origin] });
  beneficiary = await newPerson(world.browser, world.cleanup, world.app.origin, 'Bea');
  await addNode(beneficiary.page, world.app.origin, node);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** Opens the safeguard form with a typed secret and "another identity" chosen. */
async function safeguardForm(page: Page): Promise<void> {
  await page.goto(`${world.app.origin}/#/orders/new`);
  await page.getByRole('heading', { level: 1, name: 'Safeguard a secret' }).waitFor();
  await page.getByTestId('secret-input').fill('scanned beneficiary');
  await page.getByTestId('beneficiary-other').check();
}

const field = (page: Page) => page.getByTestId('beneficiary-cid');

describe('identity QR codes', () => {
  it('the Identity page shows the identity as a QR code of dta:identity:<CID>', async () => {
    const page = beneficiary.page;
    await page.goto(`${world.app.origin}/#/keys`);
    await page.getByTestId('identity-qr-toggle').click();
    const qr = page.getByTestId('identity-qr');
    await qr.locator('svg').waitFor();
    expect(await qr.getAttribute('data-payload')).toBe(`dta:identity:${beneficiary.cid}`);
    expect(await qr.locator('.qr-code').getAttribute('aria-label')).toBe('QR code of the identity');
    beneficiaryQr = await qrPng(page, 'identity-qr');
    await screenshots(page, 'identity-qr');
  });

  it('the principal reads it with the camera, and the order names the beneficiary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dta-e2e-camera-'));
    world.cleanup.add('the fake camera video', () => rm(dir, { recursive: true, force: true }));
    const camera = await launchChromium(world.cleanup, await cameraShowing(dir, `dta:identity:${beneficiary.cid}`));
    principal = await newPerson(camera, world.cleanup, world.app.origin, 'Paul');
    const page = principal.page;
    await addNode(page, world.app.origin, node);
    await safeguardForm(page);
    await page.getByTestId('beneficiary-scan-camera').click();
    await expect.poll(() => field(page).inputValue(), { timeout: LIMITS.slowMs }).toBe(beneficiary.cid);
    await page.getByRole('status').filter({ hasText: 'Read the identity from its QR code.' }).waitFor();
    // The camera is released once the code is read.
    expect(await page.getByTestId('beneficiary-scan-video').evaluate((v: HTMLVideoElement) => v.srcObject)).toBeNull();
    expect(await page.locator('.qr-camera').isHidden()).toBe(true);
    await screenshots(page, 'safeguard-scanned');
    await page.getByTestId('safeguard-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
    await expect(page.getByTestId('order-beneficiary').getAttribute('data-cid')).resolves.toBe(beneficiary.cid);
    const id = decodeURIComponent(new URL(page.url()).hash.replace('#/orders/', ''));
    const { body } = await getJson<{ order: { beneficiary: string } }>(node, `/v1/orders/${id}`);
    expect(body.order.beneficiary).toBe(beneficiary.cid);
  });

  it("or from a picture of the beneficiary's screen (a PNG of the code)", async () => {
    const page = principal.page;
    await safeguardForm(page);
    expect(await field(page).inputValue()).toBe('');
    await uploadQr(page, 'beneficiary-scan', beneficiaryQr);
    await expect.poll(() => field(page).inputValue(), { timeout: LIMITS.uiMs }).toBe(beneficiary.cid);
  });

  it('a QR code of another kind is refused with a readable error; the field keeps its text', async () => {
    const page = principal.page;
    await safeguardForm(page);
    await field(page).fill('typed so far');
    const other = Buffer.from(encodeQR('dta:bitcoin-key:AAAA', 'gif', { scale: 6, border: 4 }));
    await uploadQr(page, 'beneficiary-scan', other, 'card.gif', 'image/gif');
    const alert = page.locator('.qr-scan [role="alert"][data-error="QrError"] .error-message');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/another kind, not an identity/i);
    expect(await field(page).inputValue()).toBe('typed so far');
  });

  it('an image with no QR code, and a file that is no image, say so', async () => {
    const page = principal.page;
    await safeguardForm(page);
    const noCode = await page.getByRole('heading', { level: 1 }).screenshot();
    await uploadQr(page, 'beneficiary-scan', noCode);
    await expect
      .poll(() => page.locator('.qr-scan [role="alert"] .error-message').innerText())
      .toMatch(/no QR code was found/i);
    await uploadQr(page, 'beneficiary-scan', Buffer.from('not an image at all'), 'notes.png');
    await expect
      .poll(() => page.locator('.qr-scan [role="alert"] .error-message').innerText())
      .toMatch(/not an image this browser can open/i);
  });

  it('a browser with no camera says so, readably', async () => {
    const page = beneficiary.page; // the world's Chromium has no camera
    await safeguardForm(page);
    await page.getByTestId('beneficiary-scan-camera').click();
    const alert = page.locator('.qr-scan [role="alert"][data-error="QrError"] .error-message');
    await alert.waitFor({ timeout: LIMITS.slowMs });
    expect(await alert.innerText()).toMatch(/camera/i);
  });

  it('no page error and no request off loopback', () => {
    for (const d of [principal.device, beneficiary.device]) {
      expect(d.errors).toEqual([]);
      expect(d.external).toEqual([]);
    }
  });
});
