/**
 * Node rows of `npm run bench` (issue 4): safeguard orders per second through one node over HTTP, sustained
 * for 30 s by concurrent clients, with p50/p99 latency. The node is a real `dta serve` child process (its own
 * event loop and core, a fresh home in a temp directory, loopback only); every order is a full request: a
 * sealed, signed envelope decoded, verified and opened by the node, a secret committed to the encrypted
 * keystore (fsync), a reply envelope sealed to two recipients and signed, blocks put in Helia, the order record
 * appended to the order log and fdatasynced (group commit), all before the reply. Request envelopes are prepared
 * before the timed window (after a short warm-up that estimates how many are needed), so the clients' own crypto
 * does not compete with the node for the CPU while it is measured. Run alone: `node bench/node.ts [--quick] [--seconds <s>] [--clients <n>]
 * [--cpu-prof <dir>] [--config '<json>']` (--quick: 5 s, 4 clients; --cpu-prof writes the child's CPU profiles to
 * <dir> when it stops; --config adds config.json keys, e.g. '{"cryptoWorkers":0}' for the node without its pool).
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApi } from '../src/core/api/node-api.ts';
import { openSession } from '../src/core/api/session.ts';
import { keySigner } from '../src/core/api/signer.ts';
import { createCore } from '../src/core/index.ts';
import type { Core } from '../src/core/types.ts';
import { safeguardOrderContent } from '../src/plugins/safeguard/order.ts';
import { CpuTally } from './cpu-time.ts';
import { benchHome, benchParty, type ServedChild, serveChild } from './serve-child.ts';

export interface NodeRow {
  readonly op: string;
  readonly clients: number;
  readonly seconds: number;
  readonly orders: number;
  readonly perSecond: number;
  readonly p50ms: number;
  readonly p99ms: number;
  readonly errors: number;
  /** CPU time per order of the node process (all its threads: workers, libuv, GC), /proc; undefined off Linux. */
  readonly nodeCpuMs?: number;
  /** CPU time per order of the benchmark's clients (this process). */
  readonly clientCpuMs?: number;
}

export interface NodeBenchOptions {
  /** Length of the timed window (default 30 s). */
  readonly seconds?: number;
  /** Concurrent clients (default 8). */
  readonly clients?: number;
  /** Arguments for the served child's node (`--cpu-prof --cpu-prof-dir <dir>` to profile it). */
  readonly nodeArgs?: readonly string[];
  /** config.json keys for the node on top of the bench's (e.g. `{ "cryptoWorkers": 0 }`: no crypto pool). */
  readonly config?: Readonly<Record<string, unknown>>;
}

export const NODE_NOTES = [
  'Node rows: one `dta serve` child process on 127.0.0.1, safeguard plugin; each order = a 32-byte secret deposited in a ' +
    'sealed, signed envelope; the node verifies, opens, commits the secret (keystore file, fsync), signs a reply sealed ' +
    'to principal and beneficiary, stores both envelopes in Helia and the order record (the order log, fdatasync) before replying.',
  'Clients post pre-built envelopes (built before the timed window) over keep-alive HTTP; latency = request to full reply.',
  'CPU ms = CPU time per order over the timed window (bench/cpu-time.ts): the node process (all its threads) and the ' +
    'clients; on a loaded machine orders/s falls but the CPU per order does not, so it is the figure to compare.',
];

/**
 * CPU time (ms) of the child's threads so far, by kind, from /proc/<pid>/task/<tid>/stat: the main thread (the event
 * loop), libuv's pool (the file system's calls) and the rest (the crypto workers, V8's compiler and GC threads);
 * undefined off Linux. It tells which thread an order's CPU moved to, where the process total cannot.
 */
function threadCpuMs(pid: number | undefined): Record<'loop' | 'fs' | 'other', number> | undefined {
  if (pid === undefined) return undefined;
  try {
    const out = { loop: 0, fs: 0, other: 0 };
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
      out[tid === String(pid) ? 'loop' : name.startsWith('libuv-worker') ? 'fs' : 'other'] += ms;
    }
    return out;
  } catch {
    return undefined;
  }
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Posts envelopes from `pool` with `clients` workers until `seconds` have passed or the pool is empty. */
export async function drive(
  post: (env: Uint8Array) => Promise<boolean>,
  pool: Uint8Array[],
  clients: number,
  seconds: number,
) {
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const env = pool.pop();
        if (!env) return;
        const t = performance.now();
        if (await post(env)) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { elapsed, latencies, errors, exhausted: pool.length === 0 };
}

/** The row of one timed window: its rates and latencies, and the CPU per order the tally measured. */
export function orderRow(
  op: string,
  clients: number,
  run: Awaited<ReturnType<typeof drive>>,
  cpu: ReturnType<CpuTally['perRun']>,
): NodeRow {
  const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const perOrder = (ms: number) => round(ms / Math.max(1, run.latencies.length), 2);
  return {
    op,
    clients,
    seconds: round(run.elapsed, 1),
    orders: run.latencies.length,
    perSecond: round(run.latencies.length / run.elapsed, 1),
    p50ms: round(percentile(run.latencies, 0.5), 1),
    p99ms: round(percentile(run.latencies, 0.99), 1),
    errors: run.errors,
    ...(cpu.nodesMs !== undefined ? { nodeCpuMs: perOrder(cpu.nodesMs) } : {}),
    clientCpuMs: perOrder(cpu.clientMs),
  };
}

export async function nodeRows(core: Core, options: NodeBenchOptions = {}): Promise<NodeRow[]> {
  const seconds = options.seconds ?? 30;
  const clients = options.clients ?? 8;
  const home = await mkdtemp(join(tmpdir(), 'dta-bench-node-'));
  let node: ServedChild | undefined;
  try {
    await benchHome(core, home, 'bench fiduciary', ['safeguard'], options.config);
    node = await serveChild(home, 90_000, options.nodeArgs); // a start on two loaded cores can take a minute
    const principal = await benchParty(core, 'bench principal');
    const beneficiary = await benchParty(core, 'bench beneficiary');
    const api = new NodeApi(node.url);
    const session = await openSession(api, core.bls, keySigner(core.bls, principal));
    await api.registerIdentity(principal.identity.bytes);
    await api.registerIdentity(beneficiary.identity.bytes);
    const secret = () => crypto.getRandomValues(new Uint8Array(32));
    const build = async () =>
      session.request({
        type: 'safeguard/order',
        intentFor: beneficiary.identity,
        content: await safeguardOrderContent(session.me, session.node, {
          beneficiary: beneficiary.identity.cid,
          secret: secret(),
        }),
      });
    // The raw route, not the session's checked step: the rows measure the node, not the client verifying replies.
    const refusals = new Map<string, number>(); // error code (or name) -> count, printed after the rows
    const post = async (env: Uint8Array) => {
      try {
        const r = await api.postOrder(env);
        return r.status === 'open';
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).name;
        refusals.set(code, (refusals.get(code) ?? 0) + 1);
        return false;
      }
    };
    // Warm-up: a few seconds to estimate the rate, so that enough envelopes are prepared for the timed window.
    const warm: Uint8Array[] = [];
    for (let i = 0; i < 16 * clients; i++) warm.push((await build()).bytes);
    const w = await drive(post, warm, clients, 4);
    const rate = w.latencies.length / w.elapsed;
    const need = Math.min(50_000, Math.ceil(rate * seconds * 2) + 8 * clients); // the warm-up runs colder than the window
    console.error(`  node: warm-up ${rate.toFixed(0)} orders/s; preparing ${need} envelopes`);
    const pool: Uint8Array[] = [];
    for (let i = 0; i < need; i++) pool.push((await build()).bytes);
    // Preparing took longer than the node keeps an idle keep-alive connection: a few requests first, so that the
    // window does not count each client's request on a connection the node closed meanwhile.
    await drive(post, pool.splice(0, 2 * clients), clients, 5);
    refusals.clear(); // the warm-up's are not the window's
    const tally = new CpuTally([node.pid]);
    const threads0 = threadCpuMs(node.pid);
    const run = await tally.add(() => drive(post, pool, clients, seconds));
    const threads1 = threadCpuMs(node.pid);
    const cpu = tally.perRun();
    if (threads0 && threads1 && run.latencies.length > 0) {
      const per = (k: keyof typeof threads0) => ((threads1[k] - threads0[k]) / run.latencies.length).toFixed(2);
      console.error(
        `  node: CPU ms per order by thread: event loop ${per('loop')}, libuv ${per('fs')}, other ${per('other')}`,
      );
    }
    if (refusals.size > 0) console.error(`  node: errors by code: ${JSON.stringify(Object.fromEntries(refusals))}`);
    if (run.exhausted)
      console.error(
        '  node: ran out of prepared envelopes before the end of the window (rate measured over the shorter time)',
      );
    return [
      orderRow(`safeguard order over HTTP (${clients} clients, ${Math.round(run.elapsed)} s)`, clients, run, cpu),
    ];
  } finally {
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  }
}

export function printNodeTable(rows: readonly NodeRow[]): void {
  const header = ['operation', 'orders', 'orders/s', 'p50 ms', 'p99 ms', 'errors', 'node CPU ms', 'client CPU ms'];
  const lines = rows.map((r) => [
    r.op,
    String(r.orders),
    r.perSecond.toFixed(1),
    r.p50ms.toFixed(1),
    r.p99ms.toFixed(1),
    String(r.errors),
    r.nodeCpuMs?.toFixed(2) ?? '',
    r.clientCpuMs?.toFixed(2) ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const profileAt = process.argv.indexOf('--cpu-prof');
  const nodeArgs = profileAt < 0 ? [] : ['--cpu-prof', '--cpu-prof-dir', process.argv[profileAt + 1] ?? 'profiles'];
  const configAt = process.argv.indexOf('--config');
  const config = configAt < 0 ? {} : (JSON.parse(process.argv[configAt + 1] ?? '{}') as Record<string, unknown>);
  const flag = (name: string) => {
    const at = process.argv.indexOf(name);
    return at < 0 ? undefined : Number(process.argv[at + 1]);
  };
  const window = { ...(quick ? { seconds: 5, clients: 4 } : {}) };
  const seconds = flag('--seconds') ?? window.seconds;
  const clients = flag('--clients') ?? window.clients;
  const rows = await nodeRows(await createCore(), {
    ...(seconds !== undefined ? { seconds } : {}),
    ...(clients !== undefined ? { clients } : {}),
    nodeArgs,
    config,
  });
  printNodeTable(rows);
  for (const n of NODE_NOTES) console.log(`- ${n}`);
}
