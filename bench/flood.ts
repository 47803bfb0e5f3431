/**
 * Flood rows of `npm run bench` (issue 13, F1): legitimate safeguard orders through one `dta serve` child (the
 * bench/node.ts client: pre-built envelopes posted over keep-alive HTTP from 127.0.0.1), first alone, then while
 * a few connections from another address (127.0.0.2) post forged requests as fast as they can: valid-looking
 * envelopes from a registered sender, addressed to the node and fresh, signed with the wrong key. The node's
 * failed-signature budget per address should keep the legitimate p50 under the flood within 2x of the p50
 * without it. Run alone: `node bench/flood.ts [--quick]`.
 * @module
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeApi } from '../src/core/api/node-api.ts';
import { openSession } from '../src/core/api/session.ts';
import { keySigner } from '../src/core/api/signer.ts';
import { createCore } from '../src/core/index.ts';
import { createEnvelope, recipientOf } from '../src/core/protocol/index.ts';
import type { Core } from '../src/core/types.ts';
import { safeguardOrderContent } from '../src/plugins/safeguard/order.ts';
import { drive, percentile } from './node.ts';
import { benchHome, benchParty, type ServedChild, serveChild } from './serve-child.ts';

export interface FloodRow {
  readonly op: string;
  readonly orders: number;
  readonly perSecond: number;
  readonly p50ms: number;
  readonly p99ms: number;
  /** Forged requests answered per second, and how: 401 bad_signature (a pairing each) or 429 (none). */
  readonly forgedPerSecond: number;
  readonly forged401: number;
  readonly forged429: number;
}

export const FLOOD_NOTES = [
  "Flood rows: the node rows' client (4 clients, pre-built safeguard orders from 127.0.0.1) alone, then with 4 " +
    'keep-alive connections from 127.0.0.2 posting forged orders (a registered sender, the wrong key) back to back; ' +
    "the node's default budget of 30 failed signatures per address per minute answers the rest 429 before any pairing.",
];

/** Posts `forged` envelopes back to back on `connections` keep-alive connections from 127.0.0.2 until `stop()`. */
function flood(url: string, forged: readonly Uint8Array[], connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, localAddress: '127.0.0.2' });
  const counts = { 401: 0, 429: 0, other: 0 };
  let running = true;
  const post = (body: Uint8Array) =>
    new Promise<number>((resolve) => {
      const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/cbor' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const loops = Array.from({ length: connections }, async (_, c) => {
    for (let i = c; running; i++) {
      const status = await post(forged[i % forged.length]!);
      if (status === 401 || status === 429) counts[status]++;
      else counts.other++;
    }
  });
  const t0 = performance.now();
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return { ...counts, seconds: (performance.now() - t0) / 1000 };
    },
  };
}

export async function floodRows(core: Core, options: { seconds?: number; clients?: number } = {}): Promise<FloodRow[]> {
  const seconds = options.seconds ?? 15;
  const clients = options.clients ?? 4;
  const home = await mkdtemp(join(tmpdir(), 'dta-bench-flood-'));
  let node: ServedChild | undefined;
  try {
    await benchHome(core, home, 'bench fiduciary', ['safeguard']);
    node = await serveChild(home, 30_000);
    const [principal, beneficiary, forger] = await Promise.all(
      ['bench principal', 'bench beneficiary', 'forger'].map((n) => benchParty(core, n)),
    );
    const api = new NodeApi(node.url);
    const session = await openSession(api, core.bls, keySigner(core.bls, principal!));
    await api.registerIdentity(principal!.identity.bytes);
    await api.registerIdentity(beneficiary!.identity.bytes);
    const build = async () =>
      (
        await session.request({
          type: 'safeguard/order',
          intentFor: beneficiary!.identity,
          content: await safeguardOrderContent(session.me, session.node, {
            beneficiary: beneficiary!.identity.cid,
            secret: crypto.getRandomValues(new Uint8Array(32)),
          }),
        })
      ).bytes;
    const post = async (env: Uint8Array) => {
      try {
        return (await api.postOrder(env)).status === 'open';
      } catch {
        return false;
      }
    };
    const forged = await Promise.all(
      Array.from({ length: 64 }, async (_, i) => {
        const env = await createEnvelope(core.bls, forger!.secrets.bls, {
          type: 'safeguard/order',
          sender: principal!.identity.cid,
          recipients: [recipientOf(session.node)],
          content: { forged: i },
        });
        return env.bytes;
      }),
    );
    // Enough envelopes for both windows at the rate a short warm-up shows.
    const warm: Uint8Array[] = [];
    for (let i = 0; i < 8 * clients; i++) warm.push(await build());
    const w = await drive(post, warm, clients, 3);
    const need = Math.min(20_000, Math.ceil((w.latencies.length / w.elapsed) * seconds * 1.5) + 8 * clients);
    const pools = [[], []] as Uint8Array[][];
    for (const pool of pools) for (let i = 0; i < need; i++) pool.push(await build());
    const quiet = await drive(post, pools[0]!, clients, seconds);
    const flooding = flood(`${node.url}/v1/orders`, forged, 4);
    const loud = await drive(post, pools[1]!, clients, seconds);
    const f = await flooding.stop();
    const row = (op: string, r: typeof quiet, forgedCounts?: typeof f): FloodRow => ({
      op,
      orders: r.latencies.length,
      perSecond: Math.round((r.latencies.length / r.elapsed) * 10) / 10,
      p50ms: Math.round(percentile(r.latencies, 0.5) * 10) / 10,
      p99ms: Math.round(percentile(r.latencies, 0.99) * 10) / 10,
      forgedPerSecond: forgedCounts ? Math.round((forgedCounts[401] + forgedCounts[429]) / forgedCounts.seconds) : 0,
      forged401: forgedCounts?.[401] ?? 0,
      forged429: forgedCounts?.[429] ?? 0,
    });
    return [
      row(`safeguard orders, no flood (${clients} clients, ${seconds} s)`, quiet),
      row(`safeguard orders under a forged-signature flood (4 connections)`, loud, f),
    ];
  } finally {
    await node?.stop();
    await rm(home, { recursive: true, force: true });
  }
}

export function printFloodTable(rows: readonly FloodRow[]): void {
  const header = ['operation', 'orders/s', 'p50 ms', 'p99 ms', 'forged/s', 'forged 401', 'forged 429'];
  const lines = rows.map((r) => [
    r.op,
    r.perSecond.toFixed(1),
    r.p50ms.toFixed(1),
    r.p99ms.toFixed(1),
    String(r.forgedPerSecond),
    String(r.forged401),
    String(r.forged429),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  const [quiet, loud] = rows;
  if (quiet && loud)
    console.log(`legitimate p50 under the flood: ${(loud.p50ms / quiet.p50ms).toFixed(2)}x without it`);
}

if (import.meta.main) {
  const quick = process.argv.includes('--quick');
  const rows = await floodRows(await createCore(), quick ? { seconds: 5, clients: 4 } : {});
  printFloodTable(rows);
  for (const n of FLOOD_NOTES) console.log(`- ${n}`);
}
