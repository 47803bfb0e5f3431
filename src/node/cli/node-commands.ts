/**
 * dta init | serve | start | status. Helia, fastify and the plugins are
 * imported only by the commands that run a node, so the client commands
 * start fast.
 * @module
 */

import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { createCore } from '../../core/index.ts';
import { type ConfigFlags, homePaths, isLoopback, loadConfig, type NodeConfig } from '../config.ts';
import { createDurable, readIfExists, writeDurable } from '../fsutil.ts';
import { homeExists, initHome, readHomeIdentity } from '../home.ts';
import { ownerOnlyHome } from '../home-permissions.ts';
import { getPassphrase, type Passphrase } from '../keystore/passphrase.ts';
import type { NodeRuntime } from '../node.ts';
import {
  KEYSTORE_OPTIONS,
  KEYSTORE_USAGE,
  keystoreForInit,
  rememberKeystore,
  unlockingSecret,
} from './keystore-options.ts';
import { type Command, UsageError } from './main.ts';
import { rememberStorage, STORAGE_OPTIONS, STORAGE_USAGE, storageFlags, storageForInit } from './storage-options.ts';

type Values = Record<string, string | boolean | undefined>;

const NODE_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'key-file': { type: 'string' },
  'libp2p-tcp-port': { type: 'string' },
  'libp2p-ws-port': { type: 'string' },
} as const;

/** The port a `--<name>` flag gives, or undefined when absent. */
function portFlag(v: Values, name: string): number | undefined {
  const value = v[name];
  if (typeof value !== 'string') return undefined;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--${name}: expected 0..65535`);
  return Number(value);
}

function flags(v: Values): ConfigFlags {
  const out: ConfigFlags = {};
  if (typeof v.home === 'string') out.home = v.home;
  if (typeof v.host === 'string') out.host = v.host;
  const ports = { port: portFlag(v, 'port'), tcp: portFlag(v, 'libp2p-tcp-port'), ws: portFlag(v, 'libp2p-ws-port') };
  if (ports.port !== undefined) out.port = ports.port;
  if (ports.tcp !== undefined) out.libp2pTcpPort = ports.tcp;
  if (ports.ws !== undefined) out.libp2pWsPort = ports.ws;
  if (typeof v['log-level'] === 'string') out.logLevel = v['log-level'];
  if (v['no-app'] === true) out.serveApp = false;
  return { ...out, ...storageFlags(v) };
}

function scryptLogN(v: Values): number | undefined {
  if (typeof v['scrypt-log-n'] !== 'string') return undefined;
  const n = Number(v['scrypt-log-n']);
  if (!Number.isInteger(n) || n < 14 || n > 22) throw new UsageError('--scrypt-log-n: expected 14..22');
  return n;
}

/** Endpoints a node advertises in its identity document: its HTTP URL(s) and fixed-port libp2p addresses. */
function endpointsOf(config: NodeConfig, peerId: string) {
  const http =
    config.publicUrls.length > 0
      ? [...config.publicUrls]
      : config.port !== 0
        ? [`http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`]
        : [];
  const libp2p = config.listen.filter((a) => !/\/tcp\/0(\/|$)/.test(a)).map((a) => `${a}/p2p/${peerId}`);
  return { ...(http.length ? { http } : {}), ...(libp2p.length ? { libp2p } : {}) };
}

/** `given`: the passphrase `dta start` read already (DTA_PASSPHRASE is gone from the environment once read). */
async function runInit(v: Values, generatedKeyFile = false, given?: Passphrase): Promise<void> {
  const config = await loadConfig(flags(v));
  if (await homeExists(config.home))
    throw new Error(`${config.home} already holds an identity; refusing to overwrite it (use another --home)`);
  await ownerOnlyHome(config.home, console.error);
  const keystore = keystoreForInit(config, v);
  const passphrase = await unlockingSecret(
    keystore,
    async () =>
      given ??
      (await getPassphrase({
        ...(typeof v['key-file'] === 'string' ? { keyFile: v['key-file'] } : {}),
        ...(generatedKeyFile ? { generatedKeyFile: homePaths(config.home).keyFile } : {}),
        confirm: true,
      })),
  );
  const core = await createCore();
  const name = typeof v.name === 'string' ? v.name : `dta node on ${hostname()}`;
  const { loadPlugins } = await import('../plugins/loader.ts');
  const { peerIdOf } = await import('../storage/helia.ts');
  const plugins = (await loadPlugins(config)).plugins.map((p) => p.name);
  const logN = scryptLogN(v);
  const onStorage = await storageForInit(config);
  const home = await initHome(core, config.home, passphrase.bytes, {
    ...onStorage.home,
    name,
    plugins,
    // The libp2p key is created in the new keystore first, so the document can name the node's peer addresses.
    endpoints: async (keystore) => endpointsOf(config, await peerIdOf(keystore)),
    ...(logN ? { scryptLogN: logN } : {}),
    keystore,
    ...(v['use-existing-key'] === true ? { useExistingKey: true } : {}),
  }).finally(() => onStorage.storage.close());
  await home.keystore.close();
  const storageLine = await rememberStorage(config, v);
  if (storageLine) console.log(storageLine);
  const remembered = await rememberKeystore(config, keystore);
  // Progress on stderr: `dta start` goes on to serve, whose stdout carries only JSON log lines.
  if (remembered) console.error(remembered);
  console.error(`dta: created identity ${home.identity.cid.toString()} ("${name}") in ${config.home}`);
  console.error(`dta: keystore ${keystore.kind === 'pkcs11' ? 'PIN' : 'passphrase'} from ${passphrase.source}`);
}

/** Throws when a live `dta serve` holds the home (checked before asking for a passphrase). */
async function assertNotRunning(config: NodeConfig): Promise<void> {
  const old = await readIfExists(homePaths(config.home).pid);
  const pid = old ? Number((JSON.parse(old.toString('utf8')) as { pid?: number }).pid) : NaN;
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid))
    throw new Error(`another dta serve (pid ${pid}) runs on ${config.home}`);
}

/** Writes serve.json (pid, URL) so that `dta status` finds the node; refuses if a live node holds it. */
async function lockHome(config: NodeConfig): Promise<void> {
  const file = homePaths(config.home).pid;
  for (let attempt = 0; attempt < 2; attempt++) {
    const body = new TextEncoder().encode(JSON.stringify({ pid: process.pid, started: Date.now() }));
    if (await createDurable(file, body, 0o644)) return;
    const old = await readIfExists(file);
    const pid = old ? Number((JSON.parse(old.toString('utf8')) as { pid?: number }).pid) : NaN;
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid))
      throw new Error(`another dta serve (pid ${pid}) runs on ${config.home}`);
    await rm(file, { force: true }); // left behind by a node that was killed
  }
  throw new Error(`could not lock ${config.home}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Where the app is, or how to get it. On loopback the address says
 * localhost (the same server): WebAuthn (passkeys) takes localhost as a
 * relying-party ID, never an IP address such as 127.0.0.1.
 */
function appLine(rt: NodeRuntime, url: string): string {
  const port = new URL(url).port;
  const appUrl = isLoopback(rt.config.host) ? `http://localhost:${port}/` : `${url}/`;
  if (!rt.config.serveApp) return 'dta: not serving the app (serveApp false or --no-app): the API only';
  return rt.appRoot !== undefined
    ? `dta: app at ${appUrl} (from ${rt.appRoot})`
    : `dta: no app to serve (dist/ has no index.html): run \`npm run build\`, then restart, to serve it at ${appUrl}`;
}

/** Runs the node: JSON log lines on stdout (pino), this human summary of the start on stderr. */
async function serve(config: NodeConfig, passphrase: Passphrase): Promise<void> {
  if (!isLoopback(config.host))
    console.warn(`dta: listening on ${config.host}, not loopback: put TLS in front (README, "Self-hosting")`);
  await lockHome(config);
  const pidFile = homePaths(config.home).pid;
  let rt: NodeRuntime;
  try {
    const { startNode } = await import('../node.ts');
    const { defaultAppRoot } = await import('../http/app-static.ts');
    const appRoot = config.serveApp ? defaultAppRoot() : undefined;
    rt = await startNode(config, passphrase.bytes, { logger: config.logLevel, ...(appRoot ? { appRoot } : {}) });
    passphrase.bytes.fill(0);
    const url = await rt.listen();
    await writeDurable(pidFile, JSON.stringify({ pid: process.pid, url, started: Date.now() }), 0o644);
    console.error(`dta: identity ${rt.identity.cid.toString()} ("${rt.identity.value.name}")`);
    console.error(
      `dta: plugins ${
        rt.plugins
          .list()
          .map((p) => `${p.name} ${p.version}`)
          .join(', ') || 'none'
      }`,
    );
    console.error(`dta: libp2p ${rt.blocks.addresses().join(' ')}`);
    console.error(`dta: serving ${url} (API description at ${url}/openapi.json)`);
    console.error(appLine(rt, url));
  } catch (err) {
    await rm(pidFile, { force: true });
    throw err;
  }
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.error(`dta: ${signal}, stopping`);
      rt.close()
        .finally(() => rm(pidFile, { force: true }))
        .finally(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/** `homeKeyFile`: the key file `dta start` generated, used when no other passphrase source is given. */
async function runServe(v: Values, homeKeyFile?: string, given?: Passphrase): Promise<void> {
  const config = await loadConfig(flags(v));
  await assertNotRunning(config);
  await ownerOnlyHome(config.home, console.error);
  const keyFile = typeof v['key-file'] === 'string' ? v['key-file'] : homeKeyFile;
  const passphrase = await unlockingSecret(
    config.keystore,
    async () => given ?? (await getPassphrase(keyFile !== undefined ? { keyFile } : {})),
  );
  await serve(config, passphrase);
}

async function runStatus(v: Values): Promise<number> {
  const config = await loadConfig(flags(v));
  const core = await createCore();
  const identity = await readHomeIdentity(core, config.home);
  let url = typeof v.url === 'string' ? v.url : undefined;
  if (!url) {
    const pid = await readIfExists(homePaths(config.home).pid);
    url = pid ? (JSON.parse(pid.toString('utf8')) as { url?: string }).url : undefined;
  }
  const out: Record<string, unknown> = {
    home: config.home,
    identity: identity?.cid.toString() ?? null,
    name: identity?.value.name ?? null,
  };
  if (url) {
    try {
      const res = await fetch(`${url}/v1/status`, { signal: AbortSignal.timeout(5000) });
      out.node = { url, running: res.ok, ...(res.ok ? ((await res.json()) as object) : {}) };
    } catch {
      out.node = { url, running: false };
    }
  } else {
    out.node = { running: false };
  }
  console.log(JSON.stringify(out, null, 2));
  return identity ? 0 : 1;
}

export const nodeCommands: Record<string, Command> = {
  init: {
    summary: "create the node's keys and identity document (refuses to overwrite an existing one)",
    usage:
      'dta init [--home <dir>] [--name <name>] [--host <host>] [--port <port>] [--libp2p-tcp-port <port>] ' +
      `[--libp2p-ws-port <port>] [--key-file <path>] [--scrypt-log-n <14..22>] ${KEYSTORE_USAGE} ${STORAGE_USAGE}`,
    options: {
      ...NODE_OPTIONS,
      name: { type: 'string' },
      'scrypt-log-n': { type: 'string' },
      ...KEYSTORE_OPTIONS,
      ...STORAGE_OPTIONS,
    },
    run: (v) => runInit(v),
  },
  serve: {
    summary: 'run the node: HTTP API on --host:--port (default 127.0.0.1:5556), Helia, plugins',
    usage:
      'dta serve [--home <dir>] [--host <host>] [--port <port>] [--libp2p-tcp-port <port>] [--libp2p-ws-port <port>] ' +
      '[--key-file <path>] [--log-level fatal|error|warn|info|debug] [--no-app]',
    options: { ...NODE_OPTIONS, 'log-level': { type: 'string' }, 'no-app': { type: 'boolean' } },
    run: (v) => runServe(v),
  },
  start: {
    summary: 'init (when there is no identity yet, with a generated key file) and serve: what `npm start` runs',
    usage:
      'dta start [--home <dir>] [--host <host>] [--port <port>] [--libp2p-tcp-port <port>] [--libp2p-ws-port <port>] ' +
      '[--key-file <path>] [--log-level fatal|error|warn|info|debug] [--no-app]',
    options: {
      ...NODE_OPTIONS,
      name: { type: 'string' },
      'log-level': { type: 'string' },
      'no-app': { type: 'boolean' },
    },
    async run(v) {
      const config = await loadConfig(flags(v));
      const ownSource =
        Boolean(process.env.DTA_PASSPHRASE) || Boolean(process.env.DTA_KEY_FILE) || typeof v['key-file'] === 'string';
      const homeKeyFile = homePaths(config.home).keyFile;
      // Read once: it leaves the environment when read, and both init and serve need it.
      const given = process.env.DTA_PASSPHRASE ? await getPassphrase() : undefined;
      if (!(await homeExists(config.home))) {
        console.error(`dta: no identity in ${config.home} yet: creating one`);
        await runInit(v, !ownSource, given && { ...given, bytes: given.bytes.slice() });
        if (!ownSource)
          console.error(
            `dta: the keystore passphrase is in ${homeKeyFile} (mode 0600); set DTA_PASSPHRASE or --key-file to use your own`,
          );
      }
      // A home created by `dta start` opens with its generated key file; any other home with the usual sources.
      await runServe(v, !ownSource && (await readIfExists(homeKeyFile)) !== undefined ? homeKeyFile : undefined, given);
    },
  },
  status: {
    summary: "this home's identity and, if it runs, the node's /v1/status",
    usage: 'dta status [--home <dir>] [--url <node url>]',
    options: { url: { type: 'string' } },
    run: (v) => runStatus(v),
  },
};
