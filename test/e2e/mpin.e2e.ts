// M-Pin (issue 5, items 4 and 6) in Chromium against real nodes: two issuing nodes and an authentication server
// (test/e2e/nodes.ts startMpinNodes). The person adds both issuers, registers with them and a PIN (a share from
// each, added in the worker; only the PIN token kept), then logs in to the authentication server: the right PIN
// is accepted, a wrong PIN refused, and the right one accepted again afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { getJson, type MpinSetup, startMpinNodes, storedOrders } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let mpin: MpinSetup;
let me: Person;
const PIN = '2468';

beforeAll(async () => {
  world = await startWorld();
  mpin = await startMpinNodes(world.cleanup, [world.app.origin]);
  me = await newPerson(world.browser, world.cleanup, world.app.origin, 'Mina');
  for (const issuer of mpin.issuers) await addNode(me.page, world.app.origin, issuer);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/**
 * Logs in at the authentication server with `pin` and waits until the registration records the server's verdict
 * `expected` ("Last login … at <server>: accepted|refused"). The verdict line is read rather than the form's
 * transient outcome line, which the screen drops when it re-reads the registrations after a login.
 */
async function login(pin: string, expected: 'accepted' | 'refused'): Promise<void> {
  const page = me.page;
  const reg = page.getByTestId('mpin-registration').first();
  await reg.getByTestId('mpin-login-server').fill(mpin.auth.url);
  await reg.getByTestId('mpin-login-pin').fill(pin);
  await reg.getByTestId('mpin-login').click();
  const verdict = reg.getByText(new RegExp(`^Last login .* at ${mpin.auth.url.replace(/[.]/g, '\\.')}: ${expected}$`));
  await verdict.or(reg.getByRole('alert')).first().waitFor({ timeout: LIMITS.slowMs });
  expect(await reg.getByRole('alert').allInnerTexts()).toEqual([]);
  await verdict.waitFor({ timeout: LIMITS.uiMs });
  // The PIN field is cleared after every attempt.
  await expect(reg.getByTestId('mpin-login-pin').inputValue()).resolves.toBe('');
}

describe('M-Pin: register with two issuing nodes, log in with the PIN', () => {
  it('registers with both issuers and a PIN; only a registration (the token) is stored', async () => {
    const page = me.page;
    await page.goto(`${world.app.origin}/#/mpin`);
    await page.getByRole('heading', { level: 1, name: 'M-Pin' }).waitFor();
    await page.getByTestId('mpin-none').waitFor();
    const boxes = page.getByTestId('mpin-issuer');
    await expect(boxes.count()).resolves.toBe(2);
    // One issuer is not enough: the button stays disabled.
    await boxes.nth(0).check();
    await page.getByTestId('mpin-pin').fill(PIN);
    await page.getByTestId('mpin-pin-confirm').fill(PIN);
    await expect(page.getByTestId('mpin-register').isDisabled()).resolves.toBe(true);
    await boxes.nth(1).check();
    await screenshots(page, 'mpin-register');
    await page.getByTestId('mpin-register').click();
    await page.getByTestId('mpin-registration').waitFor({ timeout: LIMITS.slowMs });
    const text = await page.getByTestId('mpin-registration').innerText();
    for (const issuer of mpin.issuers) expect(text).toContain(issuer.name);
    // The PIN fields are cleared once registered.
    await expect(page.getByTestId('mpin-pin').inputValue()).resolves.toBe('');
  });

  it('the right PIN logs in at the authentication server', async () => {
    await login(PIN, 'accepted');
    await screenshots(me.page, 'mpin-login-accepted');
  });

  it('a wrong PIN is refused, and the right one still works after it', async () => {
    await login('1357', 'refused');
    await screenshots(me.page, 'mpin-login-refused');
    await login(PIN, 'accepted');
  });

  it("the nodes did it: each issuer issued this identity a client-secret share; the server added both issuers' server shares", async () => {
    for (const issuer of mpin.issuers) {
      const mine = (await storedOrders(issuer)).filter((o) => o.plugin === 'mpin' && o.principal === me.cid);
      expect(mine.length, issuer.name).toBeGreaterThanOrEqual(1);
    }
    const { body } = await getJson<{ authServer: { identity: string; ready: boolean; issuers: string[] } }>(
      mpin.auth,
      '/v1/plugins/mpin/',
    );
    expect(body.authServer).toMatchObject({ identity: mpin.authCid, ready: true });
    expect([...body.authServer.issuers].sort()).toEqual(mpin.issuers.map((n) => n.cid).sort());
  });

  it('no page error and no request off loopback', () => {
    expect(me.device.errors).toEqual([]);
    expect(me.device.external).toEqual([]);
  });
});
