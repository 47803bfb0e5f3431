// POST /v1/beneficiaries/{cid}/orders on real nodes (HTTP on 127.0.0.1, Helia, real storage), on files and on
// PostgreSQL: an identity lists the orders naming it, newest first, in pages; an order for someone else is not
// listed; anyone else's signed request is 403 with the JSON error shape; on files, the index is rebuilt at start
// when it is missing or torn.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BeneficiaryOrder, ordersForMe } from '../../src/core/api/beneficiary-orders.ts';
import { NodeApiError } from '../../src/core/api/errors.ts';
import type { NodeSession } from '../../src/core/api/session.ts';
import type { KeyIdentity } from '../../src/core/api/signer.ts';
import safeguard from '../../src/node/plugins/safeguard/index.ts';
import { orderSafeguardWith } from '../../src/plugins/safeguard/order.ts';
import { clientIdentity, clientOf, makeHome, type RunningNode, spawnDta, startInProcess, tempDir } from './harness.ts';
import { havePostgres, type PgCluster, startPostgres } from './postgres/cluster.ts';

const LOOPBACK = { port: 0, listen: ['/ip4/127.0.0.1/tcp/0'], resolveTimeoutMs: 1500, maxEventLoopDelayMs: 0 };

/** A home whose state is in the database at `url` (`dta init --storage postgres`). */
async function postgresHome(dir: string, url: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'config.json'), JSON.stringify(LOOPBACK), { mode: 0o600 });
  const init = await spawnDta(
    ['init', '--home', dir, '--storage', 'postgres', '--database-url', url, '--scrypt-log-n', '14'],
    {},
    60_000,
  );
  expect(await init.exited).toBe(0);
  return dir;
}

/** Every page of `session`'s orders at its node, `limit` at a time (at most 20 pages). */
async function allPages(session: NodeSession, limit: number): Promise<BeneficiaryOrder[][]> {
  const pages: BeneficiaryOrder[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = await ordersForMe(session, { limit, ...(cursor ? { cursor } : {}) });
    pages.push(page.orders);
    if (!page.next) return pages;
    cursor = page.next;
  }
  throw new Error('more than 20 pages');
}

/** The status and code of the NodeApiError `call` fails with. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; code: string }> {
  const e = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(NodeApiError);
  const { status, code } = e as NodeApiError;
  return { status, code };
}

const newestFirst = (a: BeneficiaryOrder, b: BeneficiaryOrder) => b.created - a.created || (b.id < a.id ? -1 : 1);

interface Backend {
  readonly name: string;
  readonly skip: boolean;
  home(dir: string): Promise<string>;
  close(): Promise<void>;
}

let cluster: PgCluster | undefined;
const backends: Backend[] = [
  {
    name: 'files',
    skip: false,
    home: (dir) => makeHome(dir, { config: { plugins: ['safeguard'] } }),
    close: async () => {},
  },
  {
    name: 'PostgreSQL',
    skip: !havePostgres,
    async home(dir) {
      cluster = await startPostgres();
      return postgresHome(dir, await cluster.createDatabase('beneficiaries'));
    },
    close: async () => cluster?.stop(),
  },
];

describe.each(backends)('orders for a beneficiary on $name', (backend) => {
  let tmp: { dir: string; cleanup: () => Promise<void> };
  let home: string;
  let node: RunningNode;
  let alice: KeyIdentity, bob: KeyIdentity, carol: KeyIdentity;
  let asAlice: NodeSession, asBob: NodeSession, asCarol: NodeSession;
  const forBob: string[] = [];
  let forCarol: string;

  const start = async () => {
    node = await startInProcess(home, { plugins: [safeguard] });
    const sessions = await Promise.all([alice, bob, carol].map((who) => clientOf(node.url, who)));
    [asAlice, asBob, asCarol] = sessions as [NodeSession, NodeSession, NodeSession];
  };

  beforeAll(async () => {
    if (backend.skip) return;
    tmp = await tempDir('dta-beneficiary-');
    home = await backend.home(join(tmp.dir, 'node'));
    const who = await Promise.all(['alice', 'bob', 'carol'].map(clientIdentity));
    [alice, bob, carol] = who as [KeyIdentity, KeyIdentity, KeyIdentity];
    await start();
    for (const who of [alice, bob, carol]) await asAlice.api.registerIdentity(who.identity.bytes);
    for (let i = 0; i < 5; i++) {
      const order = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 16 });
      forBob.push(order.request.cid.toString());
    }
    forCarol = (
      await orderSafeguardWith(asAlice, { beneficiary: carol.identity.cid, generate: 16 })
    ).request.cid.toString();
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await backend.close();
    await tmp?.cleanup();
  });

  it.skipIf(backend.skip)('lists exactly the orders naming the caller, newest first, in pages', async () => {
    const [whole] = await allPages(asBob, 100);
    expect(whole!.map((o) => o.id).sort()).toEqual([...forBob].sort());
    expect(whole).toEqual([...whole!].sort(newestFirst));
    for (const o of whole!) {
      expect(o).toMatchObject({ plugin: 'safeguard', beneficiary: bob.identity.cid.toString(), status: 'open' });
      expect(o.principal).toBe(alice.identity.cid.toString());
    }
    expect(whole!.map((o) => o.id)).not.toContain(forCarol);

    const pages = await allPages(asBob, 2);
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(whole); // the same orders in the same order, none twice

    const carols = await ordersForMe(asCarol);
    expect(carols.orders.map((o) => o.id)).toEqual([forCarol]);
    expect(carols.next).toBeUndefined();
    expect((await ordersForMe(asAlice)).orders).toEqual([]); // the principal is not the beneficiary
  });

  it.skipIf(backend.skip)('refuses a request signed by anyone else: 403 forbidden, JSON error', async () => {
    const request = await asCarol.request({ type: 'orders/list', content: {}, sealed: false });
    const refused = await refusal(asCarol.api.beneficiaryOrders(bob.identity.cid.toString(), request.bytes));
    expect(refused).toEqual({ status: 403, code: 'forbidden' });

    const raw = await asCarol.request({ type: 'orders/list', content: {}, sealed: false });
    const res = await fetch(`${node.url}/v1/beneficiaries/${bob.identity.cid}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ envelope: Buffer.from(raw.bytes).toString('base64') }),
    });
    const body = await res.json();
    expect(res.status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect(typeof body.error.message).toBe('string');
    expect(JSON.stringify(body)).not.toContain(forBob[0]!);
  });

  it.skipIf(backend.skip)('refuses a page above the maximum, a forged cursor and a replayed request', async () => {
    expect(await refusal(ordersForMe(asBob, { limit: 101 }))).toEqual({ status: 400, code: 'malformed' });
    expect(await refusal(ordersForMe(asBob, { cursor: 'not-a-cursor' }))).toEqual({ status: 400, code: 'malformed' });
    const request = await asBob.request({ type: 'orders/list', content: {}, sealed: false });
    const me = bob.identity.cid.toString();
    await asBob.api.beneficiaryOrders(me, request.bytes);
    expect(await refusal(asBob.api.beneficiaryOrders(me, request.bytes))).toEqual({ status: 409, code: 'replay' });
  });

  // The index file is the file backend's own (PostgreSQL lists with a query): the test exists for that backend only.
  const filesOnly = backend.name === 'files' ? it : () => undefined;
  filesOnly('rebuilds a missing or torn index at start', async () => {
    const expected = (await ordersForMe(asBob, { limit: 100 })).orders;
    const index = join(home, 'beneficiaries');
    expect((await readFile(index, 'utf8')).trim().split('\n')).toHaveLength(forBob.length + 1);
    await node.close();
    await rm(index);
    await start();
    expect((await ordersForMe(asBob, { limit: 100 })).orders).toEqual(expected);

    await node.close();
    const lines = (await readFile(index, 'utf8')).trim().split('\n');
    await writeFile(index, `${lines.slice(0, 2).join('\n')}\n${lines[2]!.slice(0, 20)}`); // lost lines, torn tail
    await start();
    expect((await ordersForMe(asBob, { limit: 100 })).orders).toEqual(expected);
    const late = await orderSafeguardWith(asAlice, { beneficiary: bob.identity.cid, generate: 16 });
    expect((await ordersForMe(asBob, { limit: 1 })).orders[0]!.id).toBe(late.request.cid.toString());
    expect((await readFile(index, 'utf8')).endsWith('\n')).toBe(true);
  });
});
