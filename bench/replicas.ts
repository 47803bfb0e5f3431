/**
 * Replica rows of `npm run bench` (issue 13): the safeguard orders of bench/node.ts, the same client, but
 * through two `dta serve` replicas of one node sharing their state in one PostgreSQL (a throwaway cluster,
 * test/node/postgres/cluster.ts; `storage` "postgres"). Requests alternate between the replicas; every order
 * takes the order's advisory lock, claims its request in the replay table, commits the secret's sealed row, the
 * order and its envelopes, the blocks and the log entries (one log for both) before its reply. Skipped with a
 * message when PostgreSQL's binaries are absent. Run alone: `node bench/replicas.ts [--quick]`.
 * @module
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApi } from '../src/core/api/node-api.ts';
import { openSession } from '../src/core/api/session.ts';
import { keySigner } from '../src/core/api/signer.ts';
import { createCore } from '../src/core/index.ts';
import type { Core } from '../src/core/types.ts';
import { initHome } from '../src/node/home.ts';
import { homeOptionsOf, openStorage } from '../src/node/storage/open.ts';
import { safeguardOrderContent } from '../src/plugins/safeguard/order.ts';
import { havePostgres, type PgCluster, startPostgres } from '../test/node/postgres/cluster.ts';
import { CpuTally } from './cpu-time.ts';
import { drive, type NodeBenchOptions, type NodeRow, orderRow, printNodeTable } from './node.ts';
import { benchParty, type ServedChild, serveChild } from './serve-child.ts';

export const REPLICA_NOTES = [
  "Replica rows: the node rows' orders and client, through two `dta serve` replicas of one node on one local " +
    "PostgreSQL 15 (fsync on); requests alternate between the replicas; CPU ms = both replicas' processes " +
    "(PostgreSQL's own CPU not counted).",
];

/** serve-child.ts's passphrase: its children are started with it. */
const PASSPHRASE = 'benchmark passphrase (not a secret)';

/** The first replica's home: identity and keystore created in the database; config.json names it. */
async function replicaHomes(core: Core, dir: string, url: string): Promise<[string, string]> {
  const homes = [join(dir, 'a'), join(dir, 'b')] as [string, string];
  const config = {
    port: 0,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    plugins: ['safeguard'],
    storage: { kind: 'postgres', url },
  };
  for (const home of homes) {
    await mkdir(home, { recursive: true, mode: 0o700 });
    await writeFile(join(home, 'config.json'), JSON.stringify(config), { mode: 0o600 });
  }
  const storage = await openStorage({ home: homes[0], storage: { kind: 'postgres', url }, freshnessMs: 300_000 });
  try {
    const place = await homeOptionsOf(storage, homes[0]);
    const home = await initHome(core, homes[0], new TextEncoder().encode(PASSPHRASE), {
      name: 'bench replicas',
      scryptLogN: 14,
      ...place,
    });
    await home.keystore.close();
  } finally {
    await storage.close();
  }
  return homes;
}

export async function replicaRows(core: Core, options: NodeBenchOptions = {}): Promise<NodeRow[]> {
  if (!havePostgres) return [];
  const seconds = options.seconds ?? 30;
  const clients = options.clients ?? 8;
  const dir = await mkdtemp(join(tmpdir(), 'dta-bench-replicas-'));
  let cluster: PgCluster | undefined;
  const nodes: ServedChild[] = [];
  try {
    cluster = await startPostgres();
    const url = await cluster.createDatabase('bench');
    const homes = await replicaHomes(core, dir, url);
    for (const home of homes) nodes.push(await serveChild(home, 60_000, options.nodeArgs));
    const principal = await benchParty(core, 'bench principal');
    const beneficiary = await benchParty(core, 'bench beneficiary');
    const apis = nodes.map((n) => new NodeApi(n.url));
    const session = await openSession(apis[0]!, core.bls, keySigner(core.bls, principal));
    await apis[0]!.registerIdentity(principal.identity.bytes);
    await apis[0]!.registerIdentity(beneficiary.identity.bytes);
    const build = async () =>
      (
        await session.request({
          type: 'safeguard/order',
          intentFor: beneficiary.identity,
          content: await safeguardOrderContent(session.me, session.node, {
            beneficiary: beneficiary.identity.cid,
            secret: crypto.getRandomValues(new Uint8Array(32)),
          }),
        })
      ).bytes;
    let turn = 0;
    const post = async (env: Uint8Array) => {
      try {
        return (await apis[turn++ % apis.length]!.postOrder(env)).status === 'open';
      } catch {
        return false;
      }
    };
    const warm: Uint8Array[] = [];
    for (let i = 0; i < 16 * clients; i++) warm.push(await build());
    const w = await drive(post, warm, clients, 4);
    const need = Math.min(50_000, Math.ceil((w.latencies.length / w.elapsed) * seconds * 2) + 8 * clients);
    console.error(`  replicas: warm-up ${(w.latencies.length / w.elapsed).toFixed(0)} orders/s; preparing ${need}`);
    const pool: Uint8Array[] = [];
    for (let i = 0; i < need; i++) pool.push(await build());
    const tally = new CpuTally(nodes.map((n) => n.pid));
    const run = await tally.add(() => drive(post, pool, clients, seconds));
    const cpu = tally.perRun();
    return [
      orderRow(
        `safeguard order, 2 replicas on PostgreSQL (${clients} clients, ${Math.round(run.elapsed)} s)`,
        clients,
        run,
        cpu,
      ),
    ];
  } finally {
    for (const n of nodes) await n.stop();
    await cluster?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const rows = await replicaRows(await createCore(), quick ? { seconds: 5, clients: 4 } : {});
  if (rows.length === 0) console.log('replicas: PostgreSQL binaries not found; skipped');
  printNodeTable(rows);
  for (const n of REPLICA_NOTES) console.log(`- ${n}`);
}
