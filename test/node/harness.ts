/**
 * Test harness for nodes: fresh homes in a temp directory (loopback only,
 * every port 0, a cheap scrypt cost), in-process nodes (real Helia, real
 * HTTP on 127.0.0.1) and `dta serve` child processes, client identities,
 * and a bounded wait helper. Shared by every node test (plugins' too).
 * @module
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import { NodeApi } from '../../src/core/api/node-api.ts';
import { type NodeSession, openSession, type SessionOptions } from '../../src/core/api/session.ts';
import { type KeyIdentity, keySigner } from '../../src/core/api/signer.ts';
import { createCore } from '../../src/core/index.ts';
import { createIdentity, generateIdentitySecrets, verifyChain } from '../../src/core/protocol/index.ts';
import type { Core } from '../../src/core/types.ts';
import { loadConfig, type NodeConfig } from '../../src/node/config.ts';
import { initHome } from '../../src/node/home.ts';
import { type NodeRuntime, type NodeStartOptions, startNode } from '../../src/node/node.ts';
import { storedOrders } from '../../src/node/storage/orders.ts';

export const PASSPHRASE = 'test passphrase, not a secret';
export const PASS = new TextEncoder().encode(PASSPHRASE);
const ROOT = new URL('../../', import.meta.url).pathname;
export const NODE_BIN = join(ROOT, 'node_modules/.bin/node');
export const CLI = join(ROOT, 'src/node/cli/main.ts');

let corePromise: Promise<Core> | undefined;
export const sharedCore = (): Promise<Core> => (corePromise ??= createCore());

/** A temp directory removed by `cleanup()`. */
export async function tempDir(prefix = 'dta-node-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface HomeOptions {
  readonly name?: string;
  readonly config?: Record<string, unknown>;
}

/** A fresh node home: keys and identity (scrypt 2^14), config.json with loopback port-0 listeners. */
export async function makeHome(dir: string, options: HomeOptions = {}): Promise<string> {
  const core = await sharedCore();
  await initHome(core, dir, PASS, { name: options.name ?? 'test node', scryptLogN: 14 });
  const config = {
    port: 0,
    listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0/ws'],
    resolveTimeoutMs: 1500,
    // Tests run several nodes and their clients' crypto on one event loop: no load shedding unless a test asks.
    maxEventLoopDelayMs: 0,
    ...options.config,
  };
  await writeFile(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

export interface RunningNode {
  readonly rt: NodeRuntime;
  readonly url: string;
  readonly config: NodeConfig;
  /** A client that signs with this node's own identity (principal/beneficiary nodes). */
  readonly self: KeyIdentity;
  close(): Promise<void>;
}

/** Starts a node in this process and listens on 127.0.0.1:<free port>. */
export async function startInProcess(home: string, options: NodeStartOptions = {}): Promise<RunningNode> {
  const config = await loadConfig({ home });
  const rt = await startNode(config, PASS, { core: await sharedCore(), ...options });
  const url = await rt.listen();
  return { rt, url, config, self: { identity: rt.identity, secrets: rt.home.secrets }, close: () => rt.close() };
}

/** A client identity that lives only in memory. */
export async function clientIdentity(name: string): Promise<KeyIdentity> {
  const core = await sharedCore();
  const secrets = await generateIdentitySecrets(core.bls);
  return { secrets, identity: await createIdentity(core.bls, secrets, { name }) };
}

/** The three client identities the custody tests use: a principal, a beneficiary, and a stranger to both. */
export async function aliceBobMallory(): Promise<[KeyIdentity, KeyIdentity, KeyIdentity]> {
  const [alice, bob, mallory] = await Promise.all(['alice', 'bob', 'mallory'].map(clientIdentity));
  return [alice!, bob!, mallory!];
}

/** A session with the node at `url` signing as `me` (in-memory keys), the node's identity read from discovery. */
export async function clientOf(url: string, me: KeyIdentity, options: SessionOptions = {}): Promise<NodeSession> {
  const core = await sharedCore();
  return openSession(new NodeApi(url), core.bls, keySigner(core.bls, me), options);
}

/** Polls `fn` until it returns a value other than undefined, at most `timeoutMs`. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Number of files in `dir` (0 if it does not exist). */
export async function countFiles(dir: string, suffix = ''): Promise<number> {
  try {
    return (await readdir(dir)).filter((n) => n.endsWith(suffix) && !n.startsWith('.')).length;
  } catch {
    return 0;
  }
}

/** Number of orders stored in the order store directory `dir` (0 if it holds none), read while a node may run. */
export async function countOrders(dir: string): Promise<number> {
  return (await storedOrders(dir)).length;
}

export interface Child {
  readonly proc: ChildProcess;
  readonly url: string;
  output(): string;
  alive(): boolean;
  /** Resolves with the exit code (or signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Runs `dta <args>` as a child process; for `serve`/`start`, resolves once it prints its URL. */
export async function spawnDta(
  args: readonly string[],
  env: Record<string, string> = {},
  // A first start (scrypt, identity, Helia, the crypto worker) takes ~4 s alone, several times that beside other files.
  timeoutMs = 45_000,
): Promise<Child> {
  const proc = spawn(NODE_BIN, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DTA_PASSPHRASE: PASSPHRASE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  let done = false;
  void exited.then(() => (done = true));
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (!done) proc.kill(signal);
    return exited;
  };
  const serving = args[0] === 'serve' || args[0] === 'start';
  let url = '';
  if (serving) {
    try {
      url = await waitFor(() => {
        if (done) throw new Error(`dta ${args[0]} exited: ${out}`);
        return /serving (http:\/\/\S+)/.exec(out)?.[1];
      }, timeoutMs);
    } catch (err) {
      await kill();
      throw err;
    }
  } else {
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
  return { proc, url, output: () => out, alive: () => !done, exited, kill };
}

/** The order chain ending at `head`, fetched through `node`'s Helia and verified with its resolver. */
export async function chainSeenBy(node: RunningNode, head: string) {
  const core = await sharedCore();
  const blocks = {
    get: async (cid: CID) => {
      const bytes = await node.rt.blocks.get(cid, { timeoutMs: 5000 });
      if (!bytes) throw new Error(`block ${cid} not found`);
      return bytes;
    },
  };
  return verifyChain(core.bls, blocks, CID.parse(head), node.rt.identities);
}

export interface ThreeNodes {
  readonly principal: RunningNode;
  readonly fiduciary: RunningNode;
  readonly beneficiary: RunningNode;
}

/**
 * A principal, a fiduciary and a beneficiary in homes under `dir`, in process. The principal and the beneficiary
 * have the fiduciary as their only libp2p peer (over TCP; the beneficiary over WebSockets when asked) and are
 * never registered with it; returns once the fiduciary sees both connected.
 */
export async function startThreeNodes(
  dir: string,
  options: { beneficiaryOverWebSockets?: boolean } = {},
): Promise<ThreeNodes> {
  const home = (name: string) => join(dir, name);
  await makeHome(home('fiduciary'), { name: 'fiduciary' });
  const fiduciary = await startInProcess(home('fiduciary'));
  const addresses = fiduciary.rt.blocks.addresses();
  const tcpPeer = addresses.find((a) => a.includes('/tcp/') && !a.includes('/ws'))!;
  const wsPeer = addresses.find((a) => a.includes('/ws'))!;
  await makeHome(home('principal'), { name: 'principal', config: { peers: [tcpPeer] } });
  await makeHome(home('beneficiary'), {
    name: 'beneficiary',
    config: { peers: [options.beneficiaryOverWebSockets ? wsPeer : tcpPeer] },
  });
  const principal = await startInProcess(home('principal'));
  const beneficiary = await startInProcess(home('beneficiary'));
  const ids = [principal, beneficiary].map((n) => n.rt.blocks.addresses()[0]!.split('/p2p/')[1]!);
  await waitFor(() => (ids.every((id) => fiduciary.rt.blocks.peers().includes(id)) ? true : undefined), 10_000);
  return { principal, fiduciary, beneficiary };
}

/** POSTs `body` as JSON to a node's `url` and reads its JSON answer, given up after `timeoutMs`. */
export async function postJson(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: res.status, json: await res.json() };
}

/** The JSON a command prints on stdout (its progress lines go to stderr, which the harness mixes in). */
export function printedJson(output: string): Record<string, unknown> {
  const at = output.search(/^\{/m);
  if (at < 0) throw new Error(`no JSON in: ${output}`);
  return JSON.parse(output.slice(at)) as Record<string, unknown>;
}
