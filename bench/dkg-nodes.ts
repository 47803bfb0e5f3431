/**
 * The DKG row over real nodes (issue 11, part 8: "DKG for n = 5, target ≤ 2 s"): five `dta serve` child
 * processes on 127.0.0.1 and runDkg (src/core/api/dkg-relay.ts) relaying one whole DKG among them, as the CLI
 * does — the start requests, round 1 and round 2 posted to the five nodes in parallel, each node checking
 * everything and writing its sealed state (fsync, rename) before every reply.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDkg } from '../src/core/api/dkg-relay.ts';
import { NodeApi } from '../src/core/api/node-api.ts';
import { openSession } from '../src/core/api/session.ts';
import { keySigner } from '../src/core/api/signer.ts';
import type { GroupName } from '../src/core/dkg/group.ts';
import type { Core } from '../src/core/types.ts';
import { benchHome, benchParty, type ServedChild, serveChild } from './serve-child.ts';

const N = 5;
const T = 3;

/** The row names, by group. */
export const NODE_DKG_OPS: Record<GroupName, string> = {
  'bls12-381': `DKG n = ${N} over five local nodes (BLS12-381)`,
  secp256k1: `DKG n = ${N} over five local nodes (secp256k1)`,
};

/** Median ms of `runs` whole DKGs (after one warm-up) over five fresh nodes, for each group `only` leaves. */
export async function dkgOverNodes(core: Core, runs: number, groups: readonly GroupName[]) {
  if (groups.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'dta-bench-dkg-'));
  const nodes: ServedChild[] = [];
  try {
    const started = await Promise.allSettled(
      Array.from({ length: N }, async (_, i) => {
        const home = join(dir, `node${i + 1}`);
        await benchHome(core, home, `bench dkg node ${i + 1}`, ['custody', 'bitcoin']);
        return serveChild(home, 90_000);
      }),
    );
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const requester = await benchParty(core, 'bench dkg requester');
    const signer = keySigner(core.bls, requester);
    const sessions = await Promise.all(nodes.map((n) => openSession(new NodeApi(n.url), core.bls, signer)));
    const rows = [];
    for (const group of groups) {
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        await runDkg({ sessions, t: T, group, purpose: group === 'secp256k1' ? 'bitcoin:bench' : 'custody:bench' });
        if (i > 0) times.push(performance.now() - t0); // the first run warms the nodes and the client
      }
      times.sort((a, b) => a - b);
      rows.push({ op: NODE_DKG_OPS[group], ms: times[Math.floor(times.length / 2)] as number, runs });
      console.error(`  ${NODE_DKG_OPS[group]}: done`);
    }
    return rows;
  } finally {
    await Promise.all(nodes.map((n) => n.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}
