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
 * itself. Absent: every built-in plugin, with no settings.
 * @module
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readIfExists } from './fsutil.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 5556;
export const DEFAULT_LISTEN = ['/ip4/127.0.0.1/tcp/5557', '/ip4/127.0.0.1/tcp/5558/ws'];
/** Largest accepted request body (an envelope with ten recipients is ~13 KiB). */
export const DEFAULT_BODY_LIMIT = 128 * 1024;
/** How far a request's `created` time may be from the node's clock. */
export const DEFAULT_FRESHNESS_MS = 5 * 60 * 1000;
/** How long to look for an unknown identity on the configured peers. */
export const DEFAULT_RESOLVE_TIMEOUT_MS = 5000;
/** Identity registrations one client address may make per minute (0 = no limit). */
export const DEFAULT_REGISTRATIONS_PER_MINUTE = 60;

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
}

/** The keys config.json may hold (anything else is refused, so a typo never goes unnoticed). */
interface FileConfig {
  host?: string;
  port?: number;
  publicUrls?: string[];
  listen?: string[];
  peers?: string[];
  corsOrigins?: string[];
  plugins?: string[] | Record<string, PluginSettings>;
  bodyLimit?: number;
  freshnessMs?: number;
  resolveTimeoutMs?: number;
  registrationsPerMinute?: number;
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
    pid: join(home, 'serve.json'),
  };
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** What is wrong with a `plugins` value (a list of names, or names to settings objects), or undefined. */
function pluginsProblem(v: unknown): string | undefined {
  if (Array.isArray(v)) {
    const bad = v.find((n) => typeof n !== 'string' || !PLUGIN_NAME.test(n));
    if (bad !== undefined) return `"plugins": ${JSON.stringify(bad)} is not a plugin name`;
    return new Set(v).size === v.length ? undefined : '"plugins": a plugin is listed twice';
  }
  if (!isObject(v)) return '"plugins": expected a list of plugin names or an object {"<plugin>": {settings}}';
  for (const [name, settings] of Object.entries(v)) {
    if (!PLUGIN_NAME.test(name)) return `"plugins": ${JSON.stringify(name)} is not a plugin name`;
    if (!isObject(settings)) return `"plugins.${name}": expected an object of settings (use {} for none)`;
  }
  return undefined;
}
const isCount = (v: unknown, max: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= max;

const FIELDS: Record<keyof FileConfig, (v: unknown) => boolean> = {
  host: (v) => typeof v === 'string' && v.length > 0,
  port: (v) => isCount(v, 65535),
  publicUrls: (v) => isStringArray(v) && v.every(isHttpUrl),
  listen: isStringArray,
  peers: isStringArray,
  corsOrigins: (v) => isStringArray(v) && v.every(isOrigin),
  plugins: (v) => pluginsProblem(v) === undefined,
  bodyLimit: (v) => isCount(v, 16 * 1024 * 1024) && (v as number) >= 1024,
  freshnessMs: (v) => isCount(v, 24 * 3600 * 1000) && (v as number) >= 1000,
  resolveTimeoutMs: (v) => isCount(v, 60_000),
  registrationsPerMinute: (v) => isCount(v, 1_000_000),
};

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An origin is scheme://host[:port] with nothing after it. */
function isOrigin(s: string): boolean {
  return isHttpUrl(s) && new URL(s).origin === s;
}

/** Parses and checks config.json; throws ConfigError naming the first bad key. */
export function parseFileConfig(text: string, where: string): FileConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ConfigError(`${where}: not valid JSON`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${where}: expected an object`);
  for (const [key, value] of Object.entries(raw)) {
    const check = FIELDS[key as keyof FileConfig];
    if (!check) throw new ConfigError(`${where}: unknown key "${key}"`);
    if (key === 'plugins' && pluginsProblem(value)) throw new ConfigError(`${where}: ${pluginsProblem(value)}`);
    if (!check(value)) throw new ConfigError(`${where}: bad value for "${key}"`);
  }
  return raw as FileConfig;
}

export interface ConfigFlags {
  home?: string;
  host?: string;
  port?: number;
}

/** The node's configuration from flags, environment and `<home>/config.json`. */
export async function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Promise<NodeConfig> {
  const home = resolveHome(flags.home, env);
  const path = homePaths(home).config;
  const text = await readIfExists(path);
  const file = text ? parseFileConfig(text.toString('utf8'), path) : {};
  const host = flags.host ?? file.host ?? DEFAULT_HOST;
  const port = flags.port ?? file.port ?? DEFAULT_PORT;
  if (!FIELDS.host(host)) throw new ConfigError('--host: expected a host name or address');
  if (!FIELDS.port(port)) throw new ConfigError('--port: expected an integer in 0..65535');
  return {
    home,
    host,
    port,
    publicUrls: file.publicUrls ?? [],
    listen: file.listen ?? DEFAULT_LISTEN,
    peers: file.peers ?? [],
    corsOrigins: file.corsOrigins ?? [],
    plugins: file.plugins === undefined ? undefined : Array.isArray(file.plugins) ? file.plugins : Object.keys(file.plugins),
    pluginSettings: file.plugins === undefined || Array.isArray(file.plugins) ? {} : file.plugins,
    bodyLimit: file.bodyLimit ?? DEFAULT_BODY_LIMIT,
    freshnessMs: file.freshnessMs ?? DEFAULT_FRESHNESS_MS,
    resolveTimeoutMs: file.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS,
    registrationsPerMinute: file.registrationsPerMinute ?? DEFAULT_REGISTRATIONS_PER_MINUTE,
  };
}

/** True for addresses that only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
