/**
 * The node's log rows of `npm run bench` (issue 12), on real files and real HTTP (127.0.0.1):
 *  - appends per second with checkpoint signing: src/node/log/ in a temp directory, each append durable (write +
 *    fdatasync) and covered by a signed checkpoint (Ed25519, written by write-then-rename) before it resolves;
 *    one caller at a time, then 64 concurrent callers (group commit: one fsync and one signature per batch);
 *  - tile serving: GET /v1/log/tile/0/<N> (a full tile, 8 KiB) from an in-process node whose log holds 2^16
 *    entries, over keep-alive HTTP;
 *  - what the log adds to an order: safeguard orders posted one at a time to two in-process nodes, one whose order
 *    steps are appended to its log and proven in the reply (after) and one whose are not (before, the node as it
 *    was without a log), one order on each in turn so that both see the same machine.
 * Run alone: `node bench/log.ts [--quick]`.
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import { NodeApi } from '../src/core/api/node-api.ts';
import { openSession } from '../src/core/api/session.ts';
import { type KeyIdentity, keySigner } from '../src/core/api/signer.ts';
import { createCore } from '../src/core/index.ts';
import { createIdentity, generateIdentitySecrets } from '../src/core/protocol/index.ts';
import { logEntry } from '../src/core/protocol/log-entry.ts';
import { TILE_WIDTH, tilePath } from '../src/core/tlog/tiles.ts';
import type { Core } from '../src/core/types.ts';
import { loadConfig } from '../src/node/config.ts';
import { initHome } from '../src/node/home.ts';
import { logKeysFromSeed } from '../src/node/log/binding.ts';
import { openNodeLog } from '../src/node/log/node-log.ts';
import { type NodeRuntime, startNode } from '../src/node/node.ts';

export interface LogRow {
  readonly op: string;
  /** What the row measures, in its unit. */
  readonly value: number;
  readonly unit: string;
}

export interface LogBenchOptions {
  /** Appends timed per append row (default 300). */
  readonly appends?: number;
  /** Orders per node for the after/before rows (default 200). */
  readonly orders?: number;
  /** Tile GETs timed (default 2000). */
  readonly tiles?: number;
}

export const LOG_NOTES = [
  "log rows: src/node/log/ on this machine's disk (temp directory); every append resolves only once its entries " +
    'are fdatasynced and a checkpoint over them is signed (Ed25519) and written by write-then-rename with fsync.',
  'appends per second, one caller: each append of 2 entries (an order step) waits for its own fsync and signature; ' +
    '64 callers: concurrent appends share one write, fsync and signature per batch (group commit).',
  `tile serving: GET of a full level-0 tile (${TILE_WIDTH} hashes, 8 KiB) over keep-alive HTTP from an ` +
    'in-process node, one request at a time; µs per request, request to last byte.',
  'order with the log: p50 latency of a safeguard order (sealed request, generated 32-byte secret, reply sealed to ' +
    'two recipients) posted one at a time to a node whose order steps are logged (after: 2 entries appended and ' +
    'fsynced, a checkpoint signed, 2 inclusion proofs in the reply) and to one whose are not (before); both nodes ' +
    'in this process, one order on each in turn (after 5 warm-up orders each).',
];

const PASSPHRASE = new TextEncoder().encode('benchmark passphrase (not a secret)');

/** A distinct envelope entry per number (the log only reads the bytes). */
function entry(i: number): Uint8Array {
  return logEntry('envelope', CID.createV1(0x71, Digest.create(0x12, sha256(new TextEncoder().encode(`e${i}`)))));
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Appends per second through a real log: one caller at a time, then 64 at once. */
async function appendRows(dir: string, appends: number): Promise<LogRow[]> {
  const keys = logKeysFromSeed(sha256(new TextEncoder().encode('bench log seed, not a secret')));
  const log = await openNodeLog({ dir, origin: keys.origin, secretKey: keys.secretKey });
  try {
    let next = 0;
    const t0 = performance.now();
    for (let i = 0; i < appends; i++) await log.append([entry(next++), entry(next++)]);
    const sequential = appends / ((performance.now() - t0) / 1000);
    const t1 = performance.now();
    await Promise.all(Array.from({ length: appends }, () => log.append([entry(next++), entry(next++)])));
    const concurrent = appends / ((performance.now() - t1) / 1000);
    return [
      { op: 'log: appends per second with checkpoint signing (1 caller)', value: sequential, unit: 'appends/s' },
      { op: 'log: appends per second with checkpoint signing (64 callers)', value: concurrent, unit: 'appends/s' },
    ];
  } finally {
    await log.close();
  }
}

async function makeNodeHome(core: Core, dir: string): Promise<string> {
  await initHome(core, dir, PASSPHRASE, { name: 'bench log node', scryptLogN: 14 });
  const config = { port: 0, listen: ['/ip4/127.0.0.1/tcp/0'], plugins: ['safeguard'] };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

async function startBenchNode(core: Core, home: string, logSteps: boolean) {
  const rt = await startNode(await loadConfig({ home }), PASSPHRASE, { core, logSteps });
  return { rt, url: await rt.listen() };
}

/** µs per GET of a full level-0 tile from a node whose log holds 2^16 entries. */
async function tileRow(rt: NodeRuntime, url: string, count: number): Promise<LogRow> {
  const size = (await rt.log.latest()).checkpoint.size;
  for (let at = size; at < TILE_WIDTH * TILE_WIDTH; at += 4096) {
    await rt.log.append(Array.from({ length: Math.min(4096, TILE_WIDTH * TILE_WIDTH - at) }, (_, i) => entry(at + i)));
  }
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const path = tilePath(0, i % (TILE_WIDTH - 1), TILE_WIDTH);
    const t = performance.now();
    const res = await fetch(`${url}/v1/log/${path}`);
    const bytes = await res.arrayBuffer();
    times.push((performance.now() - t) * 1000);
    if (res.status !== 200 || bytes.byteLength !== TILE_WIDTH * 32) throw new Error(`bench: ${path}: ${res.status}`);
  }
  return { op: 'log: tile serving (GET a full tile)', value: median(times), unit: 'µs' };
}

async function party(core: Core, name: string): Promise<KeyIdentity> {
  const secrets = await generateIdentitySecrets(core.bls);
  return { secrets, identity: await createIdentity(core.bls, secrets, { name }) };
}

/** A poster of pre-built safeguard orders to the node at `url`, and a function to build `n` of them. */
async function orderClient(core: Core, url: string, principal: KeyIdentity, beneficiary: KeyIdentity) {
  const api = new NodeApi(url);
  await api.registerIdentity(principal.identity.bytes);
  await api.registerIdentity(beneficiary.identity.bytes);
  const session = await openSession(api, core.bls, keySigner(core.bls, principal));
  const content = { beneficiary: beneficiary.identity.cid, generate: 32 };
  const build = async (n: number) => {
    const out: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await session.request({ type: 'safeguard/order', content, intentFor: beneficiary.identity })).bytes);
    }
    return out;
  };
  // The raw route: the rows measure the node, not the client checking replies.
  const post = async (env: Uint8Array): Promise<number> => {
    const t = performance.now();
    const reply = await api.postOrder(env);
    if (reply.status !== 'open') throw new Error('bench: an order was not accepted');
    return performance.now() - t;
  };
  return { build, post };
}

/** p50 order latency on a node with logged steps (after) and one without (before), one order on each in turn. */
async function orderRows(core: Core, nodes: { after: string; before: string }, orders: number): Promise<LogRow[]> {
  const principal = await party(core, 'bench principal');
  const beneficiary = await party(core, 'bench beneficiary');
  const after = await orderClient(core, nodes.after, principal, beneficiary);
  const before = await orderClient(core, nodes.before, principal, beneficiary);
  const pools = { after: await after.build(orders + 5), before: await before.build(orders + 5) };
  for (let i = 0; i < 5; i++) {
    await after.post(pools.after.pop()!); // warm-up, not timed
    await before.post(pools.before.pop()!);
  }
  const ms = { after: [] as number[], before: [] as number[] };
  // One order on each in turn, so that a change in the machine's load falls on both alike.
  for (let i = 0; i < orders; i++) {
    ms.after.push(await after.post(pools.after.pop()!));
    ms.before.push(await before.post(pools.before.pop()!));
  }
  const [a, b] = [median(ms.after), median(ms.before)];
  return [
    { op: 'Order with the log (after), p50', value: a, unit: 'ms' },
    { op: 'Order without the log (before), p50', value: b, unit: 'ms' },
    { op: 'Order with the log: added latency (target ≤ 10 %)', value: ((a - b) / b) * 100, unit: '%' },
  ];
}

export async function logRows(core: Core, options: LogBenchOptions = {}): Promise<LogRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'dta-bench-log-'));
  const running: { close(): Promise<void> }[] = [];
  try {
    const rows = await appendRows(join(root, 'log'), options.appends ?? 300);
    console.error('  log: appends done');
    const after = await startBenchNode(core, await makeNodeHome(core, join(root, 'after')), true);
    running.push(after.rt);
    const before = await startBenchNode(core, await makeNodeHome(core, join(root, 'before')), false);
    running.push(before.rt);
    rows.push(...(await orderRows(core, { after: after.url, before: before.url }, options.orders ?? 200)));
    console.error('  log: orders done');
    rows.push(await tileRow(after.rt, after.url, options.tiles ?? 2000));
    return rows;
  } finally {
    for (const node of running) await node.close();
    await rm(root, { recursive: true, force: true });
  }
}

export function printLogTable(rows: readonly LogRow[]): void {
  const lines = rows.map((r) => [r.op, r.value >= 100 ? r.value.toFixed(0) : r.value.toFixed(1), r.unit]);
  const widths = [0, 1, 2].map((i) =>
    Math.max(...lines.map((l) => l[i]!.length), ['operation', 'value', 'unit'][i]!.length),
  );
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(fmt(['operation', 'value', 'unit']));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const core = await createCore();
  printLogTable(await logRows(core, quick ? { appends: 50, orders: 40, tiles: 200 } : {}));
  for (const note of LOG_NOTES) console.log(`* ${note}`);
}
