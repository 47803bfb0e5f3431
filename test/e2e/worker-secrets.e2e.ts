// Secrets only in the worker (issue 17, items 3 and 5) in Chromium against real nodes. After an M-Pin registration
// IndexedDB's dta-flows holds no PIN token (the worker keeps it sealed under the identity in dta-mpin) and the login
// still works. A script on the app's origin, talking to an app worker of its own (the built app-worker script and
// comlink's wire messages, as any script could), unlocks the device-key identity and then: bitcoin.recover with
// opened contents of its choosing (a chosen f would give b = k - f) is refused, as is a real order's key asked without
// the person's fresh confirmation (the address alone is given); the generic openEnvelope verifies the
// node's M-Pin share reply and the Bitcoin redemption reply (f) but gives no content. Removing the identity leaves
// nothing M-Pin behind.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { getJson, type MpinSetup, startMpinNodes } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let mpin: MpinSetup;
let me: Person;
/** The Bitcoin order retrieved below (its redemption reply is read from the node's public history). */
let bitcoinOrder = '';
const PIN = '9753';
/** URLs answered 404 (named in the console check's message: Chromium's console line does not say which). */
const notFound: string[] = [];

beforeAll(async () => {
  world = await startWorld();
  mpin = await startMpinNodes(world.cleanup, [world.app.origin]);
  me = await newPerson(world.browser, world.cleanup, world.app.origin, 'Wren');
  me.device.context.on('response', (r) => {
    if (r.status() === 404) notFound.push(r.url());
  });
  for (const issuer of mpin.issuers) await addNode(me.page, world.app.origin, issuer);
});

afterAll(async () => {
  await world?.cleanup.run();
});

/** Every record of `store` in database `db`, byte arrays summarised as { bytes: length } (a missing db: []). */
function readStore(page: Page, db: string, store: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    ([name, storeName]) =>
      new Promise<Record<string, unknown>[]>((resolve, reject) => {
        const summarise = (v: unknown): unknown => {
          if (v instanceof Uint8Array) return { bytes: v.length };
          if (Array.isArray(v)) return v.map(summarise);
          if (v && typeof v === 'object')
            return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, summarise(x)]));
          return v;
        };
        const open = indexedDB.open(name!);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains(storeName!)) return resolve([]);
          const all = db.transaction(storeName!).objectStore(storeName!).getAll();
          all.onsuccess = () => resolve(all.result.map((r) => summarise(r) as Record<string, unknown>));
          all.onerror = () => reject(all.error);
        };
      }),
    [db, store],
  );
}

/** The bytes of the first stored envelope of `type` among this device's orders (as the page's dta-flows keeps it). */
function storedEnvelope(page: Page, type: string): Promise<number[]> {
  return page.evaluate(
    (t) =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('dta-flows');
        open.onsuccess = () => {
          const all = open.result.transaction('orders').objectStore('orders').getAll();
          all.onsuccess = () => {
            const envs = all.result.flatMap((o: { envelopes: { type: string; bytes: Uint8Array }[] }) => o.envelopes);
            const found = envs.find((e) => e.type === t);
            if (found) resolve([...found.bytes]);
            else reject(new Error(`no stored ${t}`));
          };
        };
        open.onerror = () => reject(open.error);
      }),
    type,
  );
}

type Call = { readonly path: readonly string[]; readonly args: readonly unknown[] };
type Answer = { readonly value?: unknown; readonly thrown?: { name: string; message: string } };

/**
 * A script on the app's origin: starts its own app worker from the built script and sends comlink's wire messages
 * (APPLY of a method path with raw arguments). Byte arrays are passed as number arrays and turned into Uint8Arrays
 * where `bytes` names them (argument index, then key); answers are summarised (byte arrays as { bytes: length }).
 */
async function asScript(page: Page, calls: readonly Call[]): Promise<Answer[]> {
  const script = readdirSync(join(inject('appDir'), 'assets')).find((f) => /^app-worker-[\w-]+\.js$/.test(f));
  expect(script, 'the built app worker').toBeDefined();
  return page.evaluate(
    async ({ url, calls }) => {
      const toBytes = (v: unknown): unknown =>
        v && typeof v === 'object' && 'u8' in v
          ? Uint8Array.from((v as { u8: number[] }).u8)
          : Array.isArray(v)
            ? v.map(toBytes)
            : v && typeof v === 'object'
              ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toBytes(x)]))
              : v;
      const summarise = (v: unknown): unknown => {
        if (v instanceof Uint8Array) return { bytes: v.length };
        if (Array.isArray(v)) return v.map(summarise);
        if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, summarise(x)]));
        return v;
      };
      const worker = new Worker(url, { type: 'module' });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the worker did not start')), 30_000);
        worker.addEventListener('message', (e) => {
          if (e.data?.type !== 'dta-worker-startup') return;
          clearTimeout(timer);
          if (e.data.ok) resolve();
          else reject(new Error(e.data.message));
        });
      });
      const out: unknown[] = [];
      for (const [n, c] of calls.entries()) {
        out.push(
          await new Promise((resolve) => {
            const id = `script-${n}`;
            const onMessage = (e: MessageEvent) => {
              if (e.data?.id !== id) return;
              worker.removeEventListener('message', onMessage);
              if (e.data.type === 'HANDLER') resolve({ thrown: e.data.value.value });
              else resolve({ value: summarise(e.data.value) });
            };
            worker.addEventListener('message', onMessage);
            const argumentList = c.args.map((a) => ({ type: 'RAW', value: toBytes(a) }));
            worker.postMessage({ id, type: 'APPLY', path: c.path, argumentList });
          }),
        );
      }
      worker.terminate();
      return out as Answer[];
    },
    { url: `${world.app.origin}/assets/${script}`, calls },
  );
}

describe('secrets only in the worker', () => {
  it('M-Pin: registered and logged in, with no PIN token in dta-flows; the worker keeps it sealed', async () => {
    const page = me.page;
    await page.goto(`${world.app.origin}/#/mpin`);
    await page.getByTestId('mpin-none').waitFor({ timeout: LIMITS.slowMs });
    for (const box of await page.getByTestId('mpin-issuer').all()) await box.check();
    await page.getByTestId('mpin-pin').fill(PIN);
    await page.getByTestId('mpin-pin-confirm').fill(PIN);
    await page.getByTestId('mpin-register').click();
    const reg = page.getByTestId('mpin-registration').first();
    await reg.waitFor({ timeout: LIMITS.slowMs });

    const records = await readStore(page, 'dta-flows', 'mpin');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ owner: me.cid, enrolment: 1 });
    expect(records[0]).not.toHaveProperty('token');
    const sealed = await readStore(page, 'dta-mpin', 'tokens');
    // (s - pin)·H(ID) is 97 bytes; sealed: + the 16-byte GCM tag, under a 12-byte nonce.
    expect(sealed).toEqual([{ id: records[0]!.id, owner: me.cid, iv: { bytes: 12 }, ciphertext: { bytes: 113 } }]);

    await reg.getByTestId('mpin-login-server').fill(mpin.auth.url);
    await reg.getByTestId('mpin-login-pin').fill(PIN);
    await reg.getByTestId('mpin-login').click();
    const verdict = new RegExp(`^Last login .* at ${mpin.auth.url.replace(/[.]/g, '\\.')}: accepted$`);
    await reg.getByText(verdict).or(reg.getByRole('alert')).first().waitFor({ timeout: LIMITS.slowMs });
    expect(await reg.getByRole('alert').allInnerTexts()).toEqual([]);
  });

  it('Bitcoin: the key is retrieved through the worker, which read the replies from the node', async () => {
    const page = me.page;
    await page.goto(`${world.app.origin}/#/bitcoin`);
    await page.getByTestId('bitcoin-network').selectOption('regtest');
    await page.getByTestId('bitcoin-submit').click();
    const ordered = page.getByTestId('bitcoin-ordered');
    await ordered.waitFor({ timeout: LIMITS.slowMs });
    const address = (await ordered.getByTestId('bitcoin-address').locator('code').textContent())?.trim() ?? '';
    bitcoinOrder = (await ordered.getAttribute('data-order-id')) ?? '';
    await ordered.getByTestId('bitcoin-order-link').click();
    await page.getByTestId('retrieve').click();
    await page.getByTestId('retrieved').waitFor({ timeout: LIMITS.slowMs });
    await expect(page.getByTestId('retrieved-address').locator('code').textContent()).resolves.toBe(address);
    await page.getByTestId('forget-secret').click();
  });

  it('a script on the origin, with its own app worker, gets no share and cannot choose f', async () => {
    const page = me.page;
    const shareReply = await storedEnvelope(page, 'mpin/order-reply');
    // The node's history is public: any script can read the sealed redemption reply (f) from there.
    const { body } = await getJson<{ history: { type: string; envelope: string }[] }>(
      mpin.issuers[0]!,
      `/v1/orders/${bitcoinOrder}`,
    );
    const sealedF = body.history.find((h) => h.type === 'bitcoin/redeem-reply')?.envelope ?? '';
    const redeemReply = [...Buffer.from(sealedF, 'base64')];
    expect(redeemReply.length).toBeGreaterThan(0);
    const issuers = mpin.issuers.map((n) => n.url);
    const nodes = await page.evaluate(
      (urls) =>
        new Promise<number[][]>((resolve) => {
          const open = indexedDB.open('dta-flows');
          open.onsuccess = () => {
            const all = open.result.transaction('nodes').objectStore('nodes').getAll();
            all.onsuccess = () =>
              resolve(
                urls.map((u) => [...(all.result.find((n: { url: string }) => n.url === u).document as Uint8Array)]),
              );
          };
        }),
      issuers,
    );
    const opened = (bytes: number[]) => ({
      path: ['protocol', 'openEnvelope'],
      args: [{ u8: bytes }, { identities: nodes.map((d) => ({ u8: d })) }],
    });
    const chosenF = {
      order: me.cid,
      network: 'regtest',
      index: 0,
      orderReply: { u8: [160] },
      redeemReply: { u8: [160] },
    };
    // The real order at its real node: the address alone is given; the key not without the person's confirmation.
    const real = {
      node: { url: mpin.issuers[0]!.url, identity: mpin.issuers[0]!.cid },
      order: bitcoinOrder,
      network: 'regtest',
      index: 0,
    };
    const [unlocked, share, released, recovered, addressOnly, unconfirmed, wrongName] = await asScript(page, [
      { path: ['vault', 'unlock'], args: [me.cid] },
      opened(shareReply),
      opened(redeemReply),
      { path: ['bitcoin', 'recover'], args: [chosenF] },
      { path: ['bitcoin', 'recover'], args: [real] },
      { path: ['bitcoin', 'recover'], args: [{ ...real, reveal: true }] },
      { path: ['bitcoin', 'recover'], args: [{ ...real, reveal: true, confirmation: { name: 'not Wren' } }] },
    ]);
    expect(addressOnly!.thrown).toBeUndefined();
    expect(addressOnly!.value).toMatchObject({ network: 'regtest', address: expect.stringMatching(/^bcrt1/) });
    expect(addressOnly!.value).not.toHaveProperty('key');
    for (const refused of [unconfirmed, wrongName]) {
      expect(refused!.value).toBeUndefined();
      expect(refused!.thrown).toMatchObject({ name: 'SecretBoundaryError' });
      expect(refused!.thrown!.message).toMatch(/needs a fresh confirmation/);
    }
    expect(unlocked).toMatchObject({ value: { cid: me.cid } });
    for (const [answer, type] of [
      [share, 'mpin/order-reply'],
      [released, 'bitcoin/redeem-reply'],
    ] as const) {
      expect(answer!.thrown).toBeUndefined();
      expect(answer!.value).toMatchObject({ info: { type, toMe: true, sealed: true }, withheld: true });
      expect(answer!.value).not.toHaveProperty('content');
    }
    expect(recovered!.thrown).toMatchObject({ name: 'SecretBoundaryError' });
    expect(recovered!.thrown!.message).toMatch(/takes no orderReply, redeemReply/);
  });

  it('removing the identity removes its M-Pin registration and its sealed token', async () => {
    const page = me.page;
    await page.goto(`${world.app.origin}/#/keys`);
    await page.getByRole('button', { name: 'Remove…' }).first().click();
    await page.getByRole('group', { name: 'Remove Wren' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await expect
      .poll(async () => (await readStore(page, 'dta-mpin', 'tokens')).length, { timeout: LIMITS.uiMs })
      .toBe(0);
    await expect
      .poll(async () => (await readStore(page, 'dta-flows', 'mpin')).length, { timeout: LIMITS.uiMs })
      .toBe(0);
  });

  it('no page error and no request off loopback', () => {
    expect(me.device.errors, `404: ${notFound.join(' ')}`).toEqual([]);
    expect(me.device.external).toEqual([]);
  });
});
