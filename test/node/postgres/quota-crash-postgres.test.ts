// Issue 13 follow-up, quotas across crashes on PostgreSQL (a real throwaway cluster; real `dta serve` children
// killed with SIGKILL at order:after-record and order:after-plugin; real in-process nodes on 127.0.0.1): the counts
// are never made again at start there, so a reservation made before a kill survives it, and the recorded step's
// recovery or retry must not reserve again. The same cases as on files (quota-crash-steps.ts): each order however
// it ends counts one order and one uninterrupted order's bytes; a refused one none; a 5xx keeps it counted once.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeApi } from '../../../src/core/api/node-api.ts';
import { type Child, clientIdentity, spawnDta, startInProcess, tempDir } from '../harness.ts';
import { orderStepsCountOnce, type QuotaCrashSetup } from '../quota-crash-steps.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

const LOOPBACK = { port: 0, listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'], resolveTimeoutMs: 1500 };

let cluster: PgCluster | undefined;
let tmp: { dir: string; cleanup: () => Promise<void> } | undefined;
let client: pg.Client | undefined;
let child: Child | undefined;
let setup: QuotaCrashSetup;

/** A home whose identity, keystore and stores are in the database at `url` (`dta init --storage postgres`). */
async function postgresHome(url: string): Promise<string> {
  const home = join(tmp!.dir, 'node');
  await mkdir(home, { recursive: true, mode: 0o700 });
  await writeFile(join(home, 'config.json'), JSON.stringify({ ...LOOPBACK, plugins: ['safeguard'] }), { mode: 0o600 });
  const init = await spawnDta(
    ['init', '--home', home, '--storage', 'postgres', '--database-url', url, '--scrypt-log-n', '14'],
    {},
    60_000,
  );
  expect(await init.exited).toBe(0);
  const config = JSON.parse(await readFile(join(home, 'config.json'), 'utf8'));
  expect(config.storage?.kind).toBe('postgres');
  return home;
}

beforeAll(async () => {
  if (!havePostgres) return;
  cluster = await startPostgres();
  tmp = await tempDir('dta-quota-crash-pg-');
  const url = await cluster.createDatabase('node');
  const home = await postgresHome(url);
  const [alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map(clientIdentity));
  const once = await startInProcess(home);
  try {
    const api = new NodeApi(once.url);
    for (const who of [alice!, bob!]) await api.registerIdentity(who.identity.bytes);
  } finally {
    await once.close();
  }
  client = new pg.Client({ connectionString: url });
  await client.connect();
  const db = client;
  setup = {
    home,
    alice: alice!,
    bob: bob!,
    mallory: mallory!,
    async usage() {
      const { rows } = await db.query('SELECT orders, bytes FROM usage_counts WHERE identity = $1', [
        alice!.identity.cid.toString(),
      ]);
      return rows[0] ? [Number(rows[0].orders), Number(rows[0].bytes)] : [0, 0];
    },
    async recorded() {
      return Number((await db.query('SELECT count(*) AS n FROM pending_steps')).rows[0].n);
    },
    asIfKilled: async () => undefined, // the counts live in the database, never made again at start
    track: (c) => {
      child = c;
    },
  };
}, 180_000);

afterAll(async () => {
  await child?.kill();
  await client?.end().catch(() => undefined);
  await tmp?.cleanup();
  await cluster?.stop();
});

describe.skipIf(!havePostgres)('quotas on PostgreSQL, across crashes', () => {
  it('count an order step exactly once however it ends: killed, finished, refused, failed and retried', async () => {
    await orderStepsCountOnce(setup);
  }, 240_000); // two `dta serve` starts and seven in-process nodes: about a minute on a quiet machine
});
