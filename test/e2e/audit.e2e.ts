// The Audit page (issue 12, item 4) in Chromium against real nodes: two nodes witnessing each other over HTTP on
// 127.0.0.1, the audited one anchoring its Birth Record on the test chain (a regtest chain this test mines, served
// by the Esplora-compatible test server). A person orders a secret at the node, then audits it: the checkpoint
// verifies with the node's log key, the other node's cosignature is shown by name, the log is consistent with what
// the device saw, every envelope of the order is proven included, and the Birth Record is anchored in the block
// the test mined. Then the node is restarted at the same address over an older copy of its home (same identity,
// another history, grown to the size its witness cosigned): the witness refuses it and keeps both notes, and the
// audit fails visibly, in words — the fork seen by this device and by the witness — with the evidence to download.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { anchorWalletKey } from '../../src/node/anchor/index.ts';
import { walletAddress } from '../../src/node/anchor/transaction.ts';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore } from '../../src/node/keystore/file-keystore.ts';
import { clientIdentity, makeHome, PASS, waitFor } from '../node/harness.ts';
import { addToConfig, freePorts, logKeysOf } from '../node/witnessing-nodes.ts';
import { RegtestChain } from '../support/regtest/chain.ts';
import { type EsploraServer, startEsplora } from '../support/regtest/esplora.ts';
import { fitsWidth, PHONE, screenshots } from './browser.ts';
import { addNode, newPerson, type Person } from './flows.ts';
import { LIMITS } from './limits.ts';
import { type E2eNode, openE2eNode } from './nodes.ts';
import { startWorld, type World } from './world.ts';

let world: World;
let chain: RegtestChain;
let esplora: EsploraServer;
let north: E2eNode;
let south: E2eNode;
let northHome: string;
let person: Person;
let seenSize = 0;

async function fundingAddress(home: string): Promise<string> {
  const keystore = await FileKeystore.open(homePaths(home).keystore, PASS);
  try {
    return walletAddress(await anchorWalletKey(keystore), 'regtest');
  } finally {
    await keystore.close();
  }
}

/** Two homes witnessing each other on fixed ports; north anchors on the test chain from its funded wallet. */
async function startNodes(): Promise<void> {
  const [northPort, southPort] = await freePorts(2);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const root = await mkdtemp(join(inject('homesRoot'), 'dta-e2e-audit-'));
  const homes = [join(root, 'north'), join(root, 'south')];
  const keys = [];
  for (const [i, home] of homes.entries()) {
    await makeHome(home, { name: i === 0 ? 'fiduciary north' : 'fiduciary south' });
    keys.push(await logKeysOf(home));
  }
  const corsOrigins = [world.app.origin];
  const common = { corsOrigins, witnessIntervalMs: 100 };
  await addToConfig(homes[0]!, {
    ...common,
    port: northPort,
    witnesses: [{ url: url(southPort!), key: keys[1]!.witnessVkey }],
    witnessing: [keys[1]!.logVkey],
    anchor: { esplora: esplora.url, network: 'regtest', mode: 'wallet', pollMs: 100, confirmations: 1 },
  });
  await addToConfig(homes[1]!, {
    ...common,
    port: southPort,
    witnesses: [{ url: url(northPort!), key: keys[0]!.witnessVkey }],
    witnessing: [keys[0]!.logVkey],
  });
  chain.fund(await fundingAddress(homes[0]!), 100_000n);
  northHome = homes[0]!;
  north = await openE2eNode(world.cleanup, { name: 'fiduciary north', corsOrigins }, homes[0]!);
  south = await openE2eNode(world.cleanup, { name: 'fiduciary south', corsOrigins }, homes[1]!);
}

beforeAll(async () => {
  world = await startWorld();
  chain = new RegtestChain();
  esplora = await startEsplora(chain);
  world.cleanup.add('the test chain', () => esplora.close());
  await startNodes();
});

afterAll(async () => {
  await world?.cleanup.run();
});

interface Shown {
  readonly status: string;
  readonly reason: string;
  readonly details: string;
}

/** Runs an audit of `url` on the Audit page and returns each check as shown. */
async function audit(page: Page, url: string): Promise<Record<string, Shown>> {
  await page.goto(`${world.app.origin}/#/audit`);
  await page.getByRole('heading', { level: 1, name: 'Audit' }).waitFor();
  await page.getByLabel('Node', { exact: true }).selectOption(url);
  await page.getByLabel('Bitcoin network to trust for anchors').selectOption('regtest');
  // A report already on the page (an earlier audit) must not be taken for this one.
  const report = page.getByTestId('audit-report');
  const before = (await report.count()) > 0 ? await report.getAttribute('data-at') : null;
  await page.getByRole('button', { name: 'Check this node' }).click();
  await page
    .locator(before ? `[data-testid="audit-report"]:not([data-at="${before}"])` : '[data-testid="audit-report"]')
    .waitFor({ timeout: LIMITS.slowMs });
  const out: Record<string, Shown> = {};
  for (const c of await page.getByTestId('audit-check').all()) {
    const details = c.getByTestId('audit-details');
    out[(await c.getAttribute('data-kind')) ?? ''] = {
      status: (await c.getAttribute('data-status')) ?? '',
      reason: (await c.getByTestId('audit-reason').innerText()).trim(),
      details: (await details.count()) > 0 ? await details.innerText() : '',
    };
  }
  return out;
}

/** What sticks out of the viewport (for a failure message). */
const overflowing = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
      .map((e) => `${e.tagName} ${e.getAttribute('data-testid') ?? ''} ${(e.textContent ?? '').slice(0, 60)}`),
  );

const statusOf = (shown: Record<string, Shown>) =>
  Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, v.status]));

describe('the Audit page', () => {
  it('a person adds both nodes and orders a secret at north', async () => {
    person = await newPerson(world.browser, world.cleanup, world.app.origin, 'Ada');
    await addNode(person.page, world.app.origin, north);
    await addNode(person.page, world.app.origin, south);
    // The copy north is restarted over later: same keys and identity, a log without the order below.
    await cp(northHome, `${northHome}-before`, { recursive: true });
    const page = person.page;
    await page.goto(`${world.app.origin}/#/orders`);
    await page.getByTestId('new-safeguard').click();
    await page.getByRole('heading', { level: 1, name: 'Safeguard a secret' }).waitFor();
    await page.getByTestId('safeguard-node').selectOption(north.url);
    await page.getByTestId('secret-input').fill('audited secret');
    await page.getByTestId('safeguard-submit').click();
    await page.waitForURL(/#\/orders\/bafy/, { timeout: LIMITS.slowMs });
  });

  it('the node anchors its Birth Record and south cosigns its latest checkpoint', async () => {
    const api = new NodeApi(north.url);
    await waitFor(async () => ((await api.anchors()).birth?.status === 'broadcast' ? true : undefined), 30_000);
    chain.mine();
    await waitFor(async () => ((await api.anchors()).birth?.status === 'confirmed' ? true : undefined), 30_000);
    const size = (await north.rt.log.latest()).checkpoint.size;
    const southOrigin = south.rt.identity.value.log!.origin;
    await waitFor(async () => {
      const note = await api.logCheckpoint();
      return note.includes(`\n${size}\n`) && note.includes(`— ${southOrigin} `) ? true : undefined;
    }, 30_000);
  });

  it('every check passes: checkpoint, witness by name, consistency, envelopes, anchored in block N', async () => {
    const shown = await audit(person.page, north.url);
    expect(statusOf(shown), JSON.stringify(shown, null, 1)).toEqual({
      checkpoint: 'ok',
      witnesses: 'ok',
      consistency: 'ok',
      inclusion: 'ok',
      anchor: 'ok',
    });
    expect(shown.witnesses!.details).toMatch(/^fiduciary south: cosigned at /);
    expect(shown.inclusion!.reason).toMatch(/^All \d+ of your envelopes with this node are in its log\.$/);
    const birth = (await new NodeApi(north.url).anchors()).birth as { proof: { height: number } };
    expect(shown.anchor!.reason).toMatch(new RegExp(`^Anchored in block ${birth.proof.height} on .+, on a regtest`));
    await expect(person.page.getByTestId('audit-summary').innerText()).resolves.toMatch(/^No check failed\./);
    await person.page.setViewportSize(PHONE);
    expect(await fitsWidth(person.page), (await overflowing(person.page)).join('\n')).toBe(true);
    await screenshots(person.page, 'audit-passed');
    seenSize = (await north.rt.log.latest()).checkpoint.size;
  });

  it('the node restarted over an older home under the same identity fails, with evidence to download', async () => {
    await north.close();
    const old = await openE2eNode(
      world.cleanup,
      { name: 'fiduciary north', corsOrigins: [world.app.origin] },
      `${northHome}-before`,
    );
    expect(old.url).toBe(north.url);
    expect(old.cid).toBe(north.cid);
    // Grown with other entries to the size south cosigned: two checkpoints of one size, both signed by north.
    const api = new NodeApi(old.url);
    for (let i = 0; i < 50 && (await old.rt.log.latest()).checkpoint.size < seenSize; i++) {
      await api.registerIdentity((await clientIdentity(`filler ${i}`)).identity.bytes);
    }
    expect((await old.rt.log.latest()).checkpoint.size).toBe(seenSize);
    // North takes it to its witness, which refuses it and keeps both notes.
    await waitFor(async () => ((await new NodeApi(south.url).witnessEvidence()).length > 0 ? true : undefined), 30_000);
    const shown = await audit(person.page, old.url);
    expect(statusOf(shown), JSON.stringify({ seenSize, shown }, null, 1)).toMatchObject({
      checkpoint: 'ok',
      witnesses: 'failed',
      consistency: 'failed',
      inclusion: 'failed',
    });
    expect(shown.consistency!.reason).toBe(`The node signed two different logs of the same size ${seenSize}: a fork.`);
    expect(shown.witnesses!.reason).toBe(
      'fiduciary south caught this node signing two different logs of the same size: a fork.',
    );
    await expect(person.page.getByTestId('audit-summary').innerText()).resolves.toMatch(/checks failed/);
    const download = person.page.waitForEvent('download');
    await person.page
      .locator('[data-testid="audit-check"][data-kind="consistency"]')
      .getByRole('button', { name: 'Download the evidence' })
      .click();
    const file = await (await download).path();
    const evidence = JSON.parse(await readFile(file, 'utf8'));
    expect(evidence).toMatchObject({ type: 'dta/audit-evidence', version: 1, node: north.cid, url: north.url });
    const fork = evidence.failed.find((f: { check: string }) => f.check === 'consistency');
    expect(fork.evidence.before.size).toBe(seenSize);
    expect(fork.evidence.now.size).toBe(seenSize);
    expect(fork.evidence.before.note).not.toBe(fork.evidence.now.note);
    await screenshots(person.page, 'audit-failed');
    // Kept on the device: listed under the node when the page is opened again.
    await person.page.goto(`${world.app.origin}/#/nodes`);
    await person.page.goto(`${world.app.origin}/#/audit`);
    await person.page.getByLabel('Node', { exact: true }).selectOption(north.url);
    const kept = person.page.getByTestId('audit-past-evidence');
    await kept.waitFor();
    expect(await kept.innerText()).toMatch(/a fork/);
  });
});
