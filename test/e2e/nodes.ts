/**
 * Real nodes for the e2e suite, built on test/node/harness.ts: each in its own temp home (loopback, port 0,
 * cheap scrypt), started in this process with real Helia and real HTTP on 127.0.0.1, and allowing the app's
 * origin (CORS). M-Pin settings are given per node: issuers list the authentication server's identity,
 * the authentication server lists its issuers.
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlugins } from '../../src/node/plugins/loader.ts';
import { createMpinPlugin } from '../../src/node/plugins/mpin/index.ts';
import type { DtaPlugin } from '../../src/node/plugins/types.ts';
import { storedOrders as readStoredOrders } from '../../src/node/storage/orders.ts';
import { makeHome, type RunningNode, startInProcess } from '../node/harness.ts';
import type { Cleanup } from './limits.ts';

export interface E2eNode extends RunningNode {
  readonly name: string;
  readonly home: string;
  /** The node's identity CID (its fingerprint in the app is derived from it). */
  readonly cid: string;
  /** Its libp2p WebSocket address (with /p2p/<peer id>), the one a browser Helia dials. */
  readonly wsAddress: string | undefined;
}

export interface E2eNodeOptions {
  readonly name: string;
  /** Browser origins allowed to call the API: the app's. */
  readonly corsOrigins: readonly string[];
  /** Settings of the mpin plugin (README of the plugin); default: an issuer with no registered server. */
  readonly mpin?: unknown;
  readonly peers?: readonly string[];
  /** A built app for the node to serve at / (as `dta serve` does with dist/). */
  readonly appRoot?: string;
  /** The node's clock (release conditions' tests move it days ahead instead of waiting). */
  readonly now?: () => number;
}

/**
 * Where node homes are made: one directory per run (global-setup.ts; bench/app.ts has its own), removed at the
 * very end, so that a run interrupted halfway leaves one directory to find, not one per node.
 */
let homesRoot = tmpdir();

export function setNodeHomesRoot(dir: string): void {
  homesRoot = dir;
}

async function tempHome(name: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(homesRoot, `dta-e2e-${name.replace(/\W+/g, '-')}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

async function pluginsFor(mpin: unknown): Promise<DtaPlugin[]> {
  const builtins = await loadPlugins({ home: '.', plugins: ['safeguard', 'bitcoin'], pluginSettings: {} });
  return [...builtins.plugins, createMpinPlugin(mpin ?? {})];
}

/** Starts a node; its stop and the removal of its home are added to `cleanup`. */
export async function startE2eNode(cleanup: Cleanup, options: E2eNodeOptions): Promise<E2eNode> {
  const tmp = await tempHome(options.name);
  cleanup.add(`the home of ${options.name}`, tmp.cleanup);
  await makeHome(tmp.dir, {
    name: options.name,
    config: { corsOrigins: [...options.corsOrigins], ...(options.peers ? { peers: [...options.peers] } : {}) },
  });
  return openE2eNode(cleanup, options, tmp.dir);
}

/** Starts (or restarts) the node of an existing home. */
export async function openE2eNode(cleanup: Cleanup, options: E2eNodeOptions, home: string): Promise<E2eNode> {
  const node = await startInProcess(home, {
    plugins: await pluginsFor(options.mpin),
    ...(options.appRoot ? { appRoot: options.appRoot } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  cleanup.add(options.name, () => node.close());
  return {
    ...node,
    name: options.name,
    home,
    cid: node.rt.identity.cid.toString(),
    wsAddress: node.rt.blocks.addresses().find((a) => a.includes('/ws')),
  };
}

/** GET <node><path> as JSON, bounded. */
export async function getJson<T = Record<string, unknown>>(
  node: { url: string },
  path: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${node.url}${path}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json()) as T };
}

export interface MpinSetup {
  readonly issuers: readonly [E2eNode, E2eNode];
  readonly auth: E2eNode;
  readonly authCid: string;
}

/**
 * Two issuing nodes and an authentication server (as in test/node/mpin-flow.test.ts): the server's identity
 * exists once its node has run with the role; the issuers' operators then list it in `servers`, and the server
 * learns where its issuers are.
 */
export async function startMpinNodes(cleanup: Cleanup, corsOrigins: readonly string[]): Promise<MpinSetup> {
  const authOptions = { name: 'auth server', corsOrigins };
  const tmp = await tempHome('auth');
  cleanup.add('the home of the auth server', tmp.cleanup);
  await makeHome(tmp.dir, { name: authOptions.name, config: { corsOrigins: [...corsOrigins] } });
  const first = await startInProcess(tmp.dir, { plugins: await pluginsFor({ authServer: { issuers: [] } }) });
  let authCid: string;
  try {
    authCid = (await getJson<{ authServer: { identity: string } }>(first, '/v1/plugins/mpin/')).body.authServer
      .identity;
  } finally {
    await first.close();
  }
  const issuers = await Promise.all(
    ['issuer 1', 'issuer 2'].map((name) => startE2eNode(cleanup, { name, corsOrigins, mpin: { servers: [authCid] } })),
  );
  const auth = await openE2eNode(
    cleanup,
    {
      ...authOptions,
      mpin: { authServer: { issuers: issuers.map((n) => ({ identity: n.cid, url: n.url })) } },
    },
    tmp.dir,
  );
  return { issuers: [issuers[0]!, issuers[1]!], auth, authCid };
}

/** The order records a node has committed to disk (its home's orders/), for checks of what really happened. */
export async function storedOrders(node: {
  home: string;
}): Promise<Array<{ id: string; plugin: string; principal: string; beneficiary: string; status: string }>> {
  return (await readStoredOrders(join(node.home, 'orders'))).map((o) => o.record);
}
