/**
 * Custody rows of `npm run bench` (issue 11): a 3-of-5 custody order and its retrieval against five local
 * `dta serve` processes, next to a one-node safeguard order against the first of them in the same run (target:
 * custody ≤ 1.5× the one-node order, the five nodes being asked in parallel). Every run is one full client
 * flow, as the CLI runs it: a custody order deals a fresh 32-byte secret (k drawn, HKDF, AES-GCM, Feldman
 * commitments, the group document signed), writes five orders and posts them at once, each node checking the
 * group and its share against the commitments and committing it (keystore fsync, order file fsync) before its
 * checked reply; a retrieval redeems the five orders at once, checks every share and recovers from three. The
 * safeguard order is the same client's deposit with its intent, its reply checked. A resharing refreshes the group
 * just ordered over the same five nodes (docs/protocol.md#resharing-a-custody-group). Runs are sequential; median
 * and 90th percentile over the runs. Run alone: `node bench/custody.ts [--quick]`.
 * @module
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApi } from '../src/core/api/node-api.ts';
import { type NodeSession, openSession } from '../src/core/api/session.ts';
import { type KeyIdentity, keySigner } from '../src/core/api/signer.ts';
import { createCore } from '../src/core/index.ts';
import type { Core } from '../src/core/types.ts';
import { custodyOrder } from '../src/plugins/custody/order.ts';
import { reshareGroup } from '../src/plugins/custody/reshare-run.ts';
import { custodyRetrieve } from '../src/plugins/custody/retrieve.ts';
import { orderSafeguardWith } from '../src/plugins/safeguard/order.ts';
import { CpuTally } from './cpu-time.ts';
import { benchHome, benchParty, type ServedChild, serveChild } from './serve-child.ts';

export interface CustodyRow {
  readonly op: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  /** The median over the one-node safeguard order's median (1 for that row). */
  readonly vsOneNode: number;
  /** Mean CPU ms per run of the client and of the nodes together (bench/cpu-time.ts); none for the dealing alone. */
  readonly cpu?: { readonly clientMs: number; readonly nodesMs: number | undefined };
}

export const CUSTODY_NOTES = [
  'Custody rows: five `dta serve` child processes on 127.0.0.1 (plugins safeguard and custody), runs one after ' +
    'another; "safeguard 1 node: order" is a deposit with its intent to the first node, its reply checked.',
  'custody 3-of-5: order = deal a 32-byte secret (k, HKDF, AES-256-GCM, vss.deal, the group document signed), ' +
    'seal and sign five orders and post them in parallel; each node checks the group and its share against the ' +
    'commitments and fsyncs it before replying; every reply checked. retrieve = five redemptions in parallel, ' +
    'every share checked against the commitments, k recovered from three, the ciphertext opened. "its dealing ' +
    'alone" is the part of the order before the first request is posted (client CPU only).',
  "resharing 3-of-5 over five local nodes: a refresh of the group just ordered (the same committee, t' = 3), as " +
    'reshareGroup runs it: the parties registered at every node, three old holders deal in parallel (each keeps ' +
    'its dealing before replying), the new group signed, five orders placed in parallel (each node checks three ' +
    'dealings and its subshares, combines, fsyncs), then five confirmations (each deletes its old share).',
  `The machine: the five nodes and the client share its ${os.cpus().length} cores and one disk, so the nodes "in ` +
    'parallel" queue for the same cores and their fsyncs for the same disk; one node alone has the machine to ' +
    'itself. "CPU ms" is the CPU time (user + system, every thread) per run of the client and of the five nodes ' +
    'together (process.cpuUsage; /proc/<pid>/stat of each dta serve); "floor" = (client + nodes) / cores, the ' +
    'least wall time the run could take on this machine however its requests overlap.',
];

const NODES = 5;
const T = 3;

/** `dta serve` on a fresh home under `dir`; its URL and a stop function. */
async function serve(core: Core, dir: string, i: number): Promise<ServedChild> {
  const home = join(dir, `node${i}`);
  await benchHome(core, home, `bench node ${i}`, ['safeguard', 'custody']);
  // Every resharing registers its parties at every node again: the per-address limit guards a public node, and
  // would refuse this loopback client after a few runs (429 rate_limited).
  const config = join(home, 'config.json');
  await writeFile(config, JSON.stringify({ ...JSON.parse(await readFile(config, 'utf8')), registrationsPerMinute: 0 }));
  return serveChild(home, 90_000);
}

/** Median and 90th percentile of `ms`. */
function summary(ms: number[]): { medianMs: number; p90Ms: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))]! * 10) / 10;
  return { medianMs: at(0.5), p90Ms: at(0.9) };
}

async function timed<T>(times: number[], run: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const value = await run();
  times.push(performance.now() - t0);
  return value;
}

/** The rows, measured over `runs` sequential runs each (after one warm-up run of each flow). */
async function measure(core: Core, urls: string[], pids: (number | undefined)[], runs: number) {
  const [alice, bob] = await Promise.all([benchParty(core, 'bench principal'), benchParty(core, 'bench beneficiary')]);
  const open = (me: KeyIdentity) =>
    Promise.all(urls.map((u) => openSession(new NodeApi(u), core.bls, keySigner(core.bls, me))));
  const asAlice: NodeSession[] = await open(alice);
  const asBob: NodeSession[] = await open(bob);
  await Promise.all(asAlice.map((s) => s.register()));
  await Promise.all(asBob.map((s) => s.register()));
  const sign = (m: Uint8Array) => core.bls.sign(alice.secrets.bls, m);
  const secret = () => crypto.getRandomValues(new Uint8Array(32));
  const safeguard: number[] = [];
  const order: number[] = [];
  const dealing: number[] = [];
  const retrieve: number[] = [];
  const reshare: number[] = [];
  const tally = () => new CpuTally(pids);
  const cpu = { safeguard: tally(), order: tally(), retrieve: tally(), reshare: tally() };
  const warmUp = tally(); // not reported
  for (let i = 0; i <= runs; i++) {
    const warm = i === 0; // the first run of each flow warms the nodes and the client; not counted
    const input = { beneficiary: bob.identity.cid, secret: secret() };
    await (warm ? warmUp : cpu.safeguard).add(() =>
      timed(warm ? [] : safeguard, () => orderSafeguardWith(asAlice[0]!, input)),
    );
    const custody = { secret: secret(), beneficiary: bob.identity, t: T };
    const t0 = performance.now();
    // The dealing alone (client CPU: k, the ciphertext, vss.deal, the group signed, ten envelopes sealed) ends
    // where the posting starts.
    const dealt = async () => void (warm ? [] : dealing).push(performance.now() - t0);
    const { deal, placed } = await (warm ? warmUp : cpu.order).add(() =>
      timed(warm ? [] : order, () => custodyOrder(core, asAlice, sign, custody, { beforePlacing: dealt })),
    );
    const holders = placed.map((p, n) => ({ session: asBob[n]!, order: p.order }));
    await (warm ? warmUp : cpu.retrieve).add(() =>
      timed(warm ? [] : retrieve, () => custodyRetrieve(core, holders, { group: deal.group.cid })),
    );
    const refresh = { core, sign, group: deal.group, sessions: asAlice, newNodes: asAlice, t: T };
    await (warm ? warmUp : cpu.reshare).add(() => timed(warm ? [] : reshare, () => reshareGroup(refresh)));
  }
  return {
    safeguard: { ...summary(safeguard), cpu: cpu.safeguard.perRun() },
    order: { ...summary(order), cpu: cpu.order.perRun() },
    dealing: summary(dealing),
    retrieve: { ...summary(retrieve), cpu: cpu.retrieve.perRun() },
    reshare: { ...summary(reshare), cpu: cpu.reshare.perRun() },
  };
}

const OPS = [
  'safeguard 1 node: order',
  `custody ${T}-of-${NODES}: order`,
  `custody ${T}-of-${NODES}: order, its dealing alone (client)`,
  `custody ${T}-of-${NODES}: retrieve`,
  `resharing ${T}-of-${NODES} over five local nodes`,
];

/** The rows (all of them, measured together), or none when `only` names none of them (no node is started). */
export async function custodyRows(core: Core, options: { runs?: number } = {}, only?: string): Promise<CustodyRow[]> {
  if (only !== undefined && !OPS.some((op) => op.includes(only))) return [];
  const runs = options.runs ?? 20;
  const dir = await mkdtemp(join(tmpdir(), 'dta-bench-custody-'));
  const nodes: ServedChild[] = [];
  try {
    const started = await Promise.allSettled(Array.from({ length: NODES }, (_, i) => serve(core, dir, i + 1)));
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const m = await measure(
      core,
      nodes.map((n) => n.url),
      nodes.map((n) => n.pid),
      runs,
    );
    const base = m.safeguard.medianMs;
    const row = (op: string, s: { medianMs: number; p90Ms: number; cpu?: CustodyRow['cpu'] }): CustodyRow => ({
      op,
      runs,
      ...s,
      vsOneNode: Math.round((s.medianMs / base) * 100) / 100,
    });
    const dealt = [row(OPS[0]!, m.safeguard), row(OPS[1]!, m.order), row(OPS[2]!, m.dealing)];
    return [...dealt, row(OPS[3]!, m.retrieve), row(OPS[4]!, m.reshare)];
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

export function printCustodyTable(rows: readonly CustodyRow[]): void {
  const header = ['operation', 'runs', 'median ms', 'p90 ms', '× 1-node order', 'CPU ms: client', 'nodes', 'floor'];
  const cores = os.cpus().length;
  const lines = rows.map((r) => [
    r.op,
    String(r.runs),
    r.medianMs.toFixed(1),
    r.p90Ms.toFixed(1),
    r.vsOneNode.toFixed(2),
    r.cpu ? r.cpu.clientMs.toFixed(1) : '',
    r.cpu?.nodesMs !== undefined ? r.cpu.nodesMs.toFixed(1) : '',
    r.cpu?.nodesMs !== undefined ? ((r.cpu.clientMs + r.cpu.nodesMs) / cores).toFixed(1) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

if (import.meta.main) {
  const core = await createCore();
  printCustodyTable(await custodyRows(core, process.argv.includes('--quick') ? { runs: 3 } : {}));
  for (const note of CUSTODY_NOTES) console.log(`* ${note}`);
}
