// Nodes (issue 5, item 3) in Chromium against real nodes: adding one by URL reads its discovery document,
// verifies its identity and shows the fingerprint a person compares with the operator's (checked here against
// the node's own identity document), and registers the person's identity there; its status; its identity
// document fetched by CID over IPFS by the in-browser Helia (WebSockets to the node's libp2p address) and
// verified; readable refusals for a node that cannot be reached and one that does not allow the app's origin;
// removal.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNode, alerts, createIdentity, fingerprintOf, goTo, nodeItem, openApp } from './app.ts';
import { type AppContext, newAppContext, screenshots } from './browser.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, getJson, startE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let node: E2eNode;
let device: AppContext;
let page: Page;
let me: string;

beforeAll(async () => {
  world = await startWorld();
  node = await startE2eNode(world.cleanup, { name: 'fiduciary north', corsOrigins: [world.app.origin] });
  device = await newAppContext(world.browser, world.cleanup);
  page = await device.newPage();
  await openApp(page, world.app.origin);
  me = await createIdentity(page, 'Nora');
});

afterAll(async () => {
  await world?.cleanup.run();
});

describe('nodes', () => {
  it('adds a node by URL: verified identity, the fingerprint of its identity document, and registers us there', async () => {
    expect((await getJson(node, `/v1/identities/${me}`)).status).toBe(404);
    const shown = await addNode(page, node.url);
    expect(shown).toBe(fingerprintOf(node.rt.identity.bytes));
    const item = nodeItem(page, node.url);
    await expect(item.getByTestId('node-name').textContent()).resolves.toBe('fiduciary north');
    await expect(item.getByTestId('node-identity').locator('code').textContent()).resolves.toBe(node.cid);
    await expect(item.getByTestId('node-fingerprint').textContent()).resolves.toBe(shown);
    const plugins = (await item.getByTestId('node-plugins').textContent()) ?? '';
    for (const p of ['safeguard', 'bitcoin', 'mpin']) expect(plugins).toContain(p);
    expect((await getJson(node, `/v1/identities/${me}`)).status).toBe(200);
  });

  it('shows its status', async () => {
    const item = nodeItem(page, node.url);
    await item.getByRole('button', { name: 'Check status' }).click();
    await item.locator('[data-testid="node-status"][data-status="up"]').waitFor({ timeout: LIMITS.slowMs });
    expect(await item.getByTestId('node-status').innerText()).toContain('Online');
  });

  it('fetches its identity document by CID over IPFS in the browser and verifies it', async () => {
    const before = (await getJson<{ peers: unknown[] }>(node, '/v1/status')).body.peers.length;
    const item = nodeItem(page, node.url);
    await item.getByRole('button', { name: 'Verify over IPFS' }).click();
    await item.locator('[data-testid="node-ipfs"]:not([data-verified="unknown"])').waitFor({ timeout: LIMITS.slowMs });
    expect(
      await item.getByTestId('node-ipfs').getAttribute('data-verified'),
      await item.getByTestId('node-ipfs').innerText(),
    ).toBe('true');
    // The browser's Helia really connected to the node (libp2p over WebSockets on loopback).
    const after = (await getJson<{ peers: unknown[] }>(node, '/v1/status')).body.peers.length;
    expect(after).toBeGreaterThan(before);
    await screenshots(page, 'nodes');
  });

  it('says readably when a node cannot be reached, or does not allow this app', async () => {
    const closed = await startE2eNode(world.cleanup, { name: 'gone', corsOrigins: [world.app.origin] });
    const goneUrl = closed.url;
    await closed.close();
    const foreign = await startE2eNode(world.cleanup, { name: 'no cors', corsOrigins: ['http://localhost:1'] });
    for (const url of [goneUrl, foreign.url]) {
      await goTo(page, '/nodes', 'Nodes');
      await page.getByLabel('Node URL').fill(url);
      await page.getByRole('button', { name: 'Add node' }).click();
      await page.getByRole('alert').waitFor({ timeout: LIMITS.slowMs });
      const text = (await alerts(page)).join(' ');
      expect(text).toContain('Could not reach the node');
      expect(text).toContain(world.app.origin); // names the origin to allow ("corsOrigins")
      expect(text).not.toMatch(/undefined|\[object/);
      await expect(nodeItem(page, url).count()).resolves.toBe(0);
      await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    }
    // The browser console reports the refused fetches; they are expected here, not app errors.
    device.errors.splice(
      0,
      device.errors.length,
      ...device.errors.filter((e) => !/ERR_CONNECTION_REFUSED|CORS|Failed to fetch|net::/.test(e)),
    );
  });

  it('removes a node after a confirmation', async () => {
    await goTo(page, '/nodes', 'Nodes');
    const item = nodeItem(page, node.url);
    await item.getByRole('button', { name: 'Remove' }).click();
    await item.getByTestId('node-remove-confirm').click();
    await page.getByTestId('nodes-empty').waitFor();
  });

  it('no page error and no request off loopback', () => {
    expect(device.errors).toEqual([]);
    expect(device.external).toEqual([]);
  });
});
