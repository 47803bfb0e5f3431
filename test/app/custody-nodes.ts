/**
 * Nodes with the custody plugin for the app's custody tests (test/app/custody-flow.test.ts and
 * test/e2e/custody.e2e.ts): started in this process (real Helia, real HTTP on 127.0.0.1), each on a port of its
 * own so that a stopped node comes back at the same URL (the app keeps nodes by URL), optionally allowing the
 * app's origin (CORS); and the lie of one node: its kept share replaced on disk while it is stopped.
 * @module
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { homePaths } from '../../src/node/config.ts';
import { FileKeystore, scopeKeystore } from '../../src/node/keystore/file-keystore.ts';
import { holdingName, keepHolding, readHolding } from '../../src/node/plugins/custody/holding.ts';
import { makeHome, PASS, type RunningNode, sharedCore, startInProcess } from '../node/harness.ts';
import { freePorts } from '../node/witnessing-nodes.ts';

export interface CustodyNodes {
  readonly homes: readonly string[];
  /** The nodes' URLs, the same across restarts. */
  readonly urls: readonly string[];
  /** Identity CIDs, in order. */
  readonly cids: readonly string[];
  start(i: number): Promise<void>;
  stop(i: number): Promise<void>;
  stopAll(): Promise<void>;
}

/** Makes `n` homes under `dir` (custody plugin, fixed ports) and starts them. */
export async function startCustodyNodes(
  dir: string,
  n: number,
  options: { corsOrigins?: readonly string[]; config?: Readonly<Record<string, unknown>> } = {},
): Promise<CustodyNodes> {
  const ports = await freePorts(n);
  const homes: string[] = [];
  for (const [i, port] of ports.entries()) {
    const config = {
      port,
      plugins: ['custody'],
      ...(options.corsOrigins ? { corsOrigins: [...options.corsOrigins] } : {}),
      ...options.config, // more settings, e.g. the OIDC issuers the nodes trust (test/e2e/oidc.e2e.ts)
    };
    homes.push(await makeHome(join(dir, `node${i + 1}`), { name: `node ${i + 1}`, config }));
  }
  const running: (RunningNode | undefined)[] = [];
  const start = async (i: number) => {
    running[i] = await startInProcess(homes[i]!);
  };
  const stop = async (i: number) => {
    await running[i]?.close();
    running[i] = undefined;
  };
  for (const i of homes.keys()) await start(i);
  return {
    homes,
    urls: running.map((r) => r!.url),
    cids: running.map((r) => r!.rt.identity.cid.toString()),
    start,
    stop,
    stopAll: async () => {
      for (const i of homes.keys()) await stop(i);
    },
  };
}

/** Replaces the share a stopped node keeps for `order` with another scalar: the node will lie at redemption. */
export async function alterShare(home: string, order: string): Promise<void> {
  const core = await sharedCore();
  const dir = homePaths(home).keystore;
  const ks = await FileKeystore.open(dir, PASS);
  const held = await readHolding(scopeKeystore(ks, 'custody'), order);
  await ks.close();
  if (!held) throw new Error(`the node keeps no share for ${order}`);
  // The keystore never replaces a name: the file goes, then a holding with another share takes its place.
  await rm(join(dir, `${Buffer.from(`custody/${holdingName(order)}`).toString('hex')}.key`));
  const again = await FileKeystore.open(dir, PASS);
  await keepHolding(scopeKeystore(again, 'custody'), order, { ...held, share: core.vss.random() });
  await again.close();
}
