/**
 * Where a node lives and how it listens. Sources, strongest first: command
 * line flags, the environment (DTA_HOME only), `<home>/config.json`, then
 * the defaults: home `$DTA_HOME` or `~/.dta`, HTTP on 127.0.0.1:5556,
 * libp2p TCP 127.0.0.1:5557 and WebSockets 127.0.0.1:5558, no peers, no
 * CORS origins. Loopback is the default everywhere: exposing a node is an
 * explicit decision (see README, "Self-hosting").
 *
 * `plugins` is either a list of the plugins to load, or an object naming
 * each plugin to load with its settings, `{"mpin": {...}, "safeguard": {}}`;
 * a plugin receives its object as `PluginContext.config` and checks it
 * itself. A plugin that is not built in gives its module there as
 * `"module"` (plugins/loader.ts imports it; the plugin never sees that key).
 * Absent: every built-in plugin, with no settings.
 * @module
 */
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  anyValue,
  boolean,
  byShape,
  type Check,
  described,
  httpUrl,
  integer,
  list,
  oneOf,
  record,
  SchemaPathError,
  struct,
  text,
} from '../core/schema.ts';
import { readIfExists } from './fsutil.ts';
import { DEFAULT_KEYSTORE, type KeystoreSettings, keystoreSettings } from './keystore/settings.ts';
import { withLibp2pPorts } from './listen-ports.ts';
import { NO_OIDC, OIDC_SETTINGS, type OidcSettings } from './oidc/settings.ts';
import { STORAGE, type StorageSettings, StorageSettingsError, storageSettings } from './storage/settings.ts';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 5556;
const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/5557', '/ip4/127.0.0.1/tcp/5558/ws'];
/** Largest accepted request body (an envelope with ten recipients is ~13 KiB). */
export const DEFAULT_BODY_LIMIT = 128 * 1024;
/** How far a request's `created` time may be from the node's clock. */
export const DEFAULT_FRESHNESS_MS = 5 * 60 * 1000;
/** How long to look for an unknown identity on the configured peers. */
const DEFAULT_RESOLVE_TIMEOUT_MS = 5000;
/** Identity registrations one client address may make per minute (0 = no limit). */
const DEFAULT_REGISTRATIONS_PER_MINUTE = 60;
/** Identity registrations the whole node takes per minute, whatever the addresses (0 = no limit). */
const DEFAULT_REGISTRATIONS_PER_MINUTE_TOTAL = 600;
/** Envelopes with a bad signature one client address (IPv6: its /64) may send per minute before a 429. */
const DEFAULT_FAILED_SIGNATURES_PER_MINUTE = 30;
/** Senders unknown to the node (looked up on the peers) whose requests the node checks per minute, in all. */
const DEFAULT_UNKNOWN_SENDERS_PER_MINUTE = 600;
/** A whole request (headers and body) must arrive within this; its headers within headersTimeoutMs. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** An idle keep-alive connection is closed after this. */
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Open connections at most (keep it well below the process's file-descriptor limit, `ulimit -n`). */
const DEFAULT_MAX_CONNECTIONS = 512;
/** Load shedding: 503 overloaded while the mean event-loop delay exceeds this (0 = not checked). */
const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 1000;
/** How often a node takes its latest checkpoint to its witnesses. */
const DEFAULT_WITNESS_INTERVAL_MS = 1000;
/** How long a DKG may take at a node, from its start, before the node aborts it (reason `timeout`). */
const DEFAULT_DKG_TIMEOUT_MS = 600_000;
/** Orders and bytes (envelopes, deposits inside them) one identity may keep here (order-admission.ts); 0 = none. */
const DEFAULT_QUOTA_ORDERS_PER_IDENTITY = 100_000;
const DEFAULT_QUOTA_BYTES_PER_IDENTITY = 1024 * 1024 * 1024;
/**
 * Crypto worker threads (crypto-pool/): one per core but the event loop's, at least 1, at most 4; 0 = signatures
 * checked in the event loop. The event loop keeps a core: HTTP, storage and the log are about half an order's work.
 */
const DEFAULT_CRYPTO_WORKERS = Math.max(1, Math.min(4, availableParallelism() - 1));
/** Signature checks and signing tasks that may wait for a crypto worker; more get 503 overloaded. */
const DEFAULT_CRYPTO_QUEUE = 1024;
/** One JSON line per request at info (README, "Health, metrics and logs"). */
const DEFAULT_LOG_LEVEL: LogLevel = 'info';
/** /metrics on the main listener, answered only to this machine (a proxy's forwarded request is not) or a token. */
const DEFAULT_METRICS: MetricsAccess = 'loopback';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** off: no /metrics; loopback: only to this machine or with the token; open: to anyone who reaches the listener. */
export type MetricsAccess = 'off' | 'loopback' | 'open';

export interface NodeConfig {
  readonly home: string;
  readonly host: string;
  readonly port: number;
  /** The HTTP URLs this node advertises (identity document, discovery); default http://<host>:<port>. */
  readonly publicUrls: readonly string[];
  /** libp2p listen multiaddrs (port 0 picks a free port). */
  readonly listen: readonly string[];
  /** Multiaddrs (with /p2p/<peer id>) of the only peers this node dials. */
  readonly peers: readonly string[];
  /** Origins allowed to call the API from a browser; empty = no CORS headers at all. */
  readonly corsOrigins: readonly string[];
  /** Plugins to load; undefined = every built-in plugin present. */
  readonly plugins: readonly string[] | undefined;
  /** Settings per plugin name (the object form of `plugins`); each plugin gets its own as ctx.config. */
  readonly pluginSettings: Readonly<Record<string, PluginSettings>>;
  readonly bodyLimit: number;
  readonly freshnessMs: number;
  readonly resolveTimeoutMs: number;
  readonly registrationsPerMinute: number;
  /** Limits on work anyone can ask for (limits/request-limits.ts; README, "Limits and abuse"); 0 = none. */
  readonly registrationsPerMinuteTotal: number;
  readonly failedSignaturesPerMinute: number;
  readonly unknownSendersPerMinute: number;
  /** HTTP timeouts and the connection cap (http/connection-limits.ts). */
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  /** Load shedding (http/load-shedding.ts): mean event-loop delay and utilization (0..1) limits; 0 = off. */
  readonly maxEventLoopDelayMs: number;
  readonly maxEventLoopUtilization: number;
  /** The peers that witness this node's log (src/node/witness/): base URL and cosignature verifier key. */
  readonly witnesses: readonly WitnessPeerConfig[];
  /** Note verifier keys of the logs this node witnesses (the key name is the log's origin). */
  readonly witnessing: readonly string[];
  /** How often the node's checkpoint is taken to its witnesses. */
  readonly witnessIntervalMs: number;
  /** Bitcoin anchoring of the Birth Record and checkpoints (src/node/anchor/); undefined = off. */
  readonly anchor: AnchorSettings | undefined;
  /** How long a DKG may take here from its start before this node aborts it (src/node/dkg/). */
  readonly dkgTimeoutMs: number;
  /** Where the key-encryption key lives: from a passphrase (default) or in a PKCS#11 token (keystore/settings.ts). */
  readonly keystore: KeystoreSettings;
  /** Orders and bytes one identity may keep on this node (order-admission.ts); 0 = no limit. */
  readonly quotaOrdersPerIdentity: number;
  readonly quotaBytesPerIdentity: number;
  /** Worker threads that check signatures and sign replies (crypto-pool/); 0 = in the event loop. */
  readonly cryptoWorkers: number;
  /** Crypto tasks that may wait for a worker before new requests get 503 overloaded. */
  readonly cryptoQueue: number;
  /** The level of the JSON log lines `dta serve` writes on stdout (pino): info logs one line per request. */
  readonly logLevel: LogLevel;
  /** Who may read /metrics (metrics/health-routes.ts); a separate `metricsListener` answers anyone reaching it. */
  readonly metrics: MetricsAccess;
  /** A bearer token that reads /metrics from anywhere (unless metrics is off); undefined = none. */
  readonly metricsToken: string | undefined;
  /** A listener of its own for /metrics, /healthz and /readyz (then /metrics is not on the main one). */
  readonly metricsListener: { readonly host: string; readonly port: number } | undefined;
  /** Where the node's state lives: files under the home (default) or PostgreSQL (storage/settings.ts). */
  readonly storage: StorageSettings;
  /** Serve the built app (dist/) at /; false: the API only, the app served from elsewhere (README). */
  readonly serveApp: boolean;
  /** The OpenID Connect issuers trusted for orders released to an OIDC identity (oidc/settings.ts); none: []. */
  readonly oidc: OidcSettings;
}

/** The `anchor` key of config.json, defaults filled in (README, "Configuration"). */
export interface AnchorSettings {
  /** Base URL of an Esplora-compatible HTTP API (e.g. https://blockstream.info/api). */
  readonly esplora: string;
  readonly network: 'mainnet' | 'testnet' | 'signet' | 'regtest';
  /** wallet: the node signs with its own key (fund `dta anchor address`); psbt: the operator signs. */
  readonly mode: 'wallet' | 'psbt';
  /** PSBT mode: the operator's P2WPKH address whose coins the PSBT spends and which the node watches. */
  readonly fundingAddress?: string;
  /** Anchor the latest checkpoint this often, when the log has grown since the last one. */
  readonly checkpointEveryMs: number;
  /** Blocks (the anchor's included) before the proof is taken. */
  readonly confirmations: number;
  /** Fee rate in satoshis per virtual byte. */
  readonly feeRate: number;
  /** How often the node looks at the chain. */
  readonly pollMs: number;
  /** The block the proofs' header chains start from (its compact target `bits` when known); default: genesis. */
  readonly trust?: { readonly height: number; readonly hash: string; readonly bits?: number };
}

/**
 * A witness of this node: its HTTP base URL and either its cosignature/v1 verifier key (GET <url>/v1/witness) or its
 * identity CID (the key is then read from its identity document, fetched from the URL and checked against the CID).
 */
export interface WitnessPeerConfig {
  readonly url: string;
  readonly key?: string;
  readonly identity?: string;
}

/** One plugin's settings: a JSON object, checked by the plugin itself. */
export type PluginSettings = Readonly<Record<string, unknown>>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `--home`, else $DTA_HOME, else ~/.dta; always absolute. */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = flag ?? (env.DTA_HOME !== undefined && env.DTA_HOME !== '' ? env.DTA_HOME : join(homedir(), '.dta'));
  return resolve(dir);
}

/** Paths inside a node's home directory. */
export function homePaths(home: string) {
  return {
    config: join(home, 'config.json'),
    identity: join(home, 'identity.cbor'),
    keystore: join(home, 'keystore'),
    keyFile: join(home, 'passphrase'),
    blocks: join(home, 'blocks'),
    datastore: join(home, 'datastore'),
    orders: join(home, 'orders'),
    identities: join(home, 'identities'),
    replay: join(home, 'replay'),
    log: join(home, 'log'),
    pid: join(home, 'serve.json'),
    anchors: join(home, 'anchors'),
    witness: join(home, 'witness'),
    dkg: join(home, 'dkg'),
    pending: join(home, 'pending'),
    usage: join(home, 'usage'),
  };
}

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const MAX_PLUGINS = 64;

const pluginName = text({ maxBytes: 32, pattern: PLUGIN_NAME, what: 'a plugin name' });
/** A plugin's settings: any JSON object here; the plugin checks its contents. */
const pluginSettings = described(
  record({ pattern: /^/, what: 'a settings key' }, anyValue, { max: 10_000 }) as Check<PluginSettings>,
  'an object of settings (use {} for none)',
);
const plugins = byShape<readonly string[] | Readonly<Record<string, PluginSettings>>>(
  {
    list: list(pluginName, { max: MAX_PLUGINS, unique: (n) => n, duplicate: 'a plugin is listed twice' }),
    map: record({ pattern: PLUGIN_NAME, what: 'a plugin name' }, pluginSettings, { max: MAX_PLUGINS }),
  },
  'a list of plugin names or an object {"<plugin>": {settings}}',
);

const host = text({ minBytes: 1, maxBytes: 255, what: 'a host name or address' });
/** A signed-note verifier key, `<name>+<key hash>+<base64>` (checked further when the node starts). */
const noteKey = text({
  minBytes: 5,
  maxBytes: 512,
  pattern: /^[^+\s]+\+[0-9a-f]{8}\+[A-Za-z0-9+/=]+$/,
  what: 'a note key',
});
/** An identity CID as text (parsed when the node starts). */
const cidText = text({ minBytes: 8, maxBytes: 128, pattern: /^[a-zA-Z0-9]+$/, what: 'a CID' });

const ANCHOR = struct(
  {
    esplora: httpUrl({ base: true }),
    network: oneOf(['mainnet', 'testnet', 'signet', 'regtest'] as const),
    mode: oneOf(['wallet', 'psbt'] as const),
  },
  {
    fundingAddress: text({ minBytes: 14, maxBytes: 90, pattern: /^[a-z0-9]+$/, what: 'a bech32 address' }),
    checkpointEveryMs: integer(1000, 366 * 24 * 3600 * 1000),
    confirmations: integer(1, 100),
    feeRate: integer(1, 10_000),
    pollMs: integer(100, 3600 * 1000),
    trust: struct(
      {
        height: integer(0, 100_000_000),
        hash: text({ maxBytes: 64, pattern: /^[0-9a-f]{64}$/, what: 'a block hash in hex' }),
      },
      { bits: integer(0, 0xffffffff) },
    ),
  },
);
const port = integer(0, 65535);

/** The keys config.json may hold (anything else is refused, so a typo never goes unnoticed). */
const FILE_CONFIG = described(
  struct(
    {},
    {
      host,
      port,
      publicUrls: list(httpUrl(), { max: 64 }),
      listen: list(text({ maxBytes: 1024 }), { max: 64 }),
      peers: list(text({ maxBytes: 1024 }), { max: 1024 }),
      corsOrigins: list(httpUrl({ origin: true }), { max: 64 }),
      plugins,
      bodyLimit: integer(1024, 16 * 1024 * 1024),
      freshnessMs: integer(1000, 24 * 3600 * 1000),
      resolveTimeoutMs: integer(0, 60_000),
      registrationsPerMinute: integer(0, 1_000_000),
      registrationsPerMinuteTotal: integer(0, 100_000_000),
      failedSignaturesPerMinute: integer(0, 1_000_000),
      unknownSendersPerMinute: integer(0, 100_000_000),
      requestTimeoutMs: integer(100, 3600 * 1000),
      headersTimeoutMs: integer(100, 3600 * 1000),
      keepAliveTimeoutMs: integer(100, 3600 * 1000),
      maxConnections: integer(1, 1_000_000),
      maxEventLoopDelayMs: integer(0, 60_000),
      maxEventLoopUtilization: integer(0, 100),
      witnesses: list(struct({ url: httpUrl({ base: true }) }, { key: noteKey, identity: cidText }), { max: 64 }),
      witnessing: list(noteKey, { max: 1024 }),
      witnessIntervalMs: integer(50, 3600 * 1000),
      anchor: ANCHOR,
      dkgTimeoutMs: integer(1000, 7 * 24 * 3600 * 1000),
      keystore: keystoreSettings,
      storage: STORAGE,
      quotaOrdersPerIdentity: integer(0, 1_000_000_000),
      quotaBytesPerIdentity: integer(0, Number.MAX_SAFE_INTEGER),
      cryptoWorkers: integer(0, 64),
      cryptoQueue: integer(1, 1_000_000),
      logLevel: oneOf(LOG_LEVELS),
      metrics: oneOf(['off', 'loopback', 'open'] as const),
      metricsToken: text({ minBytes: 16, maxBytes: 256, pattern: /^[\x21-\x7e]+$/, what: 'a token (16+ characters)' }),
      metricsHost: host,
      metricsPort: port,
      libp2pTcpPort: port,
      libp2pWsPort: port,
      serveApp: boolean,
      oidc: OIDC_SETTINGS,
    },
  ),
  'a JSON object',
);
type FileConfig = ReturnType<typeof FILE_CONFIG>;

/** `check(value)`, a failure being a ConfigError that names `where` and the path of the bad field. */
function checked<T>(check: Check<T>, value: unknown, where: string): T {
  try {
    return check(value, '');
  } catch (e) {
    if (!(e instanceof SchemaPathError)) throw e;
    throw new ConfigError(e.path === '' ? `${where}: ${e.problem}` : `${where}: "${e.path}": ${e.problem}`);
  }
}

/** Parses and checks config.json; throws ConfigError naming the first bad key. */
export function parseFileConfig(json: string, where: string): FileConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigError(`${where}: not valid JSON`);
  }
  return checked(FILE_CONFIG, raw, where);
}

export interface ConfigFlags {
  home?: string;
  host?: string;
  port?: number;
  logLevel?: string;
  libp2pTcpPort?: number;
  libp2pWsPort?: number;
  storage?: 'files' | 'postgres';
  databaseUrl?: string;
  /** False with `--no-app`. */
  serveApp?: boolean;
}

/** The node's configuration from flags, environment and `<home>/config.json`. */
export async function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<NodeConfig> {
  const home = resolveHome(flags.home, env);
  const path = homePaths(home).config;
  const json = await readIfExists(path);
  const file = json ? parseFileConfig(json.toString('utf8'), path) : {};
  if (file.metricsHost !== undefined && file.metricsPort === undefined)
    throw new ConfigError(`${path}: "metricsHost" needs "metricsPort" (the metrics listener's port)`);
  return {
    home,
    host: checked(host, flags.host ?? file.host ?? DEFAULT_HOST, '--host'),
    port: checked(port, flags.port ?? file.port ?? DEFAULT_PORT, '--port'),
    publicUrls: file.publicUrls ?? [],
    listen: withLibp2pPorts(file.listen ?? DEFAULT_LISTEN, {
      tcp: flags.libp2pTcpPort ?? file.libp2pTcpPort,
      ws: flags.libp2pWsPort ?? file.libp2pWsPort,
    }),
    peers: file.peers ?? [],
    corsOrigins: file.corsOrigins ?? [],
    ...pluginsOf(file.plugins),
    bodyLimit: file.bodyLimit ?? DEFAULT_BODY_LIMIT,
    freshnessMs: file.freshnessMs ?? DEFAULT_FRESHNESS_MS,
    resolveTimeoutMs: file.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
    registrationsPerMinute: file.registrationsPerMinute ?? DEFAULT_REGISTRATIONS_PER_MINUTE,
    ...edgeLimits(file),
    witnesses: file.witnesses ?? [],
    witnessing: file.witnessing ?? [],
    witnessIntervalMs: file.witnessIntervalMs ?? DEFAULT_WITNESS_INTERVAL_MS,
    anchor: anchorSettings(file.anchor),
    dkgTimeoutMs: file.dkgTimeoutMs ?? DEFAULT_DKG_TIMEOUT_MS,
    keystore: file.keystore ?? DEFAULT_KEYSTORE,
    quotaOrdersPerIdentity: file.quotaOrdersPerIdentity ?? DEFAULT_QUOTA_ORDERS_PER_IDENTITY,
    quotaBytesPerIdentity: file.quotaBytesPerIdentity ?? DEFAULT_QUOTA_BYTES_PER_IDENTITY,
    cryptoWorkers: file.cryptoWorkers ?? DEFAULT_CRYPTO_WORKERS,
    cryptoQueue: file.cryptoQueue ?? DEFAULT_CRYPTO_QUEUE,
    logLevel: checked(oneOf(LOG_LEVELS), flags.logLevel ?? file.logLevel ?? DEFAULT_LOG_LEVEL, '--log-level'),
    metrics: file.metrics ?? DEFAULT_METRICS,
    metricsToken: file.metricsToken,
    metricsListener:
      file.metricsPort === undefined ? undefined : { host: file.metricsHost ?? DEFAULT_HOST, port: file.metricsPort },
    storage: storageOf(file.storage, flags, env),
    serveApp: flags.serveApp ?? file.serveApp ?? true,
    oidc: file.oidc ?? NO_OIDC,
  };
}

/** The HTTP edge's limits with their defaults; the headers must be due no later than the whole request. */
function edgeLimits(file: FileConfig) {
  const requestTimeoutMs = file.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeoutMs = file.headersTimeoutMs ?? Math.min(DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs);
  if (headersTimeoutMs > requestTimeoutMs)
    throw new ConfigError(
      '"headersTimeoutMs" must not exceed "requestTimeoutMs" (the headers are part of the request)',
    );
  return {
    registrationsPerMinuteTotal: file.registrationsPerMinuteTotal ?? DEFAULT_REGISTRATIONS_PER_MINUTE_TOTAL,
    failedSignaturesPerMinute: file.failedSignaturesPerMinute ?? DEFAULT_FAILED_SIGNATURES_PER_MINUTE,
    unknownSendersPerMinute: file.unknownSendersPerMinute ?? DEFAULT_UNKNOWN_SENDERS_PER_MINUTE,
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: file.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    maxConnections: file.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    maxEventLoopDelayMs: file.maxEventLoopDelayMs ?? DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
    // A percentage in the file (integers only there), a fraction here.
    maxEventLoopUtilization: (file.maxEventLoopUtilization ?? 0) / 100,
  };
}

/** storage/settings.ts's choice, its error a ConfigError. */
function storageOf(s: FileConfig['storage'], flags: ConfigFlags, env: NodeJS.ProcessEnv): StorageSettings {
  try {
    return storageSettings(s, flags, env);
  } catch (e) {
    if (e instanceof StorageSettingsError) throw new ConfigError(e.message);
    throw e;
  }
}

/** The anchor settings with their defaults: a day between checkpoint anchors, 6 confirmations, 2 sat/vB. */
function anchorSettings(a: FileConfig['anchor']): AnchorSettings | undefined {
  if (a === undefined) return undefined;
  if (a.mode === 'wallet' && a.fundingAddress !== undefined)
    throw new ConfigError('anchor: "fundingAddress" is for psbt mode; wallet mode pays from `dta anchor address`');
  if (a.network !== 'regtest' && a.trust === undefined)
    throw new ConfigError(`anchor: "trust" {height, hash} is required on ${a.network} (a block the proofs start from)`);
  return {
    ...a,
    checkpointEveryMs: a.checkpointEveryMs ?? 24 * 3600 * 1000,
    confirmations: a.confirmations ?? 6,
    feeRate: a.feeRate ?? 2,
    pollMs: a.pollMs ?? 30_000,
  };
}

/** The two forms of `plugins`: a list of names, or names with their settings. */
function pluginsOf(p: FileConfig['plugins']): Pick<NodeConfig, 'plugins' | 'pluginSettings'> {
  if (p === undefined) return { plugins: undefined, pluginSettings: {} };
  if (isNameList(p)) return { plugins: p, pluginSettings: {} };
  return { plugins: Object.keys(p), pluginSettings: p };
}

function isNameList(p: readonly string[] | Readonly<Record<string, PluginSettings>>): p is readonly string[] {
  return Array.isArray(p);
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
