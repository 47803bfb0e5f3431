/**
 * The plugin host: loads the node's plugins, gives each a context with its
 * own scoped keystore (names under "<plugin>/", so no plugin reaches the
 * node's keys or another plugin's secrets), and dispatches order steps by
 * envelope type: "<plugin>/order" to `order`, "<plugin>/redeem" to
 * `redeem`. Plugin routes are registered encapsulated under
 * /v1/plugins/<name>/.
 *
 * Built-in plugins live in src/node/plugins/<name>/index.ts and export a
 * DtaPlugin (default export or `plugin`). Without a `plugins` key in the
 * configuration every built-in plugin present is loaded. A plugin's
 * settings (the object form of `plugins` in config.json) reach it as
 * ctx.config, a frozen copy; settings for a plugin that does not run here
 * stop the node at start, so a typo never goes unnoticed.
 *
 * A plugin's OpenAPI fragment (DtaPlugin.openapi) is checked at start and
 * merged into /openapi.json; a built-in plugin without one may keep it in
 * its folder's openapi.ts (export `openapi`).
 * @module
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Core } from '../../core/types.ts';
import type { IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import { NODE_SCHEMAS } from '../http/openapi.ts';
import { checkPluginOpenApi, type DocumentedPlugin } from '../http/openapi-plugins.ts';
import { scopeKeystore } from '../keystore/file-keystore.ts';
import type { Keystore } from '../keystore/types.ts';
import type { DtaPlugin, PluginContext, PluginLogger, PluginOpenApi, PluginRequests } from './types.ts';

export const BUILTIN_PLUGINS = ['safeguard', 'bitcoin', 'mpin'] as const;
const NAME_RE = /^[a-z][a-z0-9-]{0,31}$/;
/** Keystore prefixes that belong to the node itself. */
const RESERVED = new Set(['node']);

export interface HostDeps {
  readonly core: Core;
  readonly node: Verified<IdentityDocument>;
  readonly identities: IdentityResolver;
  readonly keystore: Keystore;
  readonly log: FastifyBaseLogger;
  /** Builds the request checker of one plugin (auth.ts; scope per plugin). */
  readonly requests: (plugin: string) => PluginRequests;
  /** Settings by plugin name (config.json); every name must be a plugin given to the host. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** A deep copy no plugin can change under another's feet (JSON values only). */
function frozenCopy(value: unknown): unknown {
  const copy = structuredClone(value);
  const freeze = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    Object.freeze(v);
    for (const child of Object.values(v)) freeze(child);
  };
  freeze(copy);
  return copy;
}

function isPlugin(value: unknown): value is DtaPlugin {
  const p = value as DtaPlugin | undefined;
  return typeof p === 'object' && p !== null && typeof p.name === 'string' && typeof p.version === 'string';
}

/** The DtaPlugin a module exports (default, `plugin`, or the one export that is a plugin named `name`). */
function pluginOf(mod: Record<string, unknown>, name: string): DtaPlugin {
  const candidates = [mod.default, mod.plugin, ...Object.values(mod)].filter(isPlugin);
  const found = candidates.find((p) => p.name === name);
  if (!found) throw new Error(`plugin module ${name}/index.ts exports no DtaPlugin named "${name}"`);
  return found;
}

/** Imports src/node/plugins/<name>/<file>; undefined when that file does not exist. */
async function importOptional(name: string, file: string): Promise<Record<string, unknown> | undefined> {
  const url = new URL(`./${name}/${file}`, import.meta.url);
  try {
    return (await import(url.href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { url?: string };
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`${name}/${file}`)) return undefined;
    throw err;
  }
}

/** Imports built-in plugin `name` (with the fragment of its openapi.ts if it has none); undefined when its index.ts does not exist. */
async function importBuiltin(name: string): Promise<DtaPlugin | undefined> {
  const mod = await importOptional(name, 'index.ts');
  if (!mod) return undefined;
  const plugin = pluginOf(mod, name);
  if (plugin.openapi) return plugin;
  const openapi = (await importOptional(name, 'openapi.ts'))?.openapi as PluginOpenApi | undefined;
  // the same plugin seen through a prototype link, with the fragment as an own field
  return openapi ? Object.assign(Object.create(plugin) as DtaPlugin, { openapi }) : plugin;
}

/** Built-in plugins by name: `names` exactly (error if one is missing), or every one present. */
export async function loadBuiltinPlugins(names?: readonly string[]): Promise<DtaPlugin[]> {
  const plugins: DtaPlugin[] = [];
  for (const name of names ?? BUILTIN_PLUGINS) {
    if (!(BUILTIN_PLUGINS as readonly string[]).includes(name)) throw new Error(`unknown plugin "${name}" (built in: ${BUILTIN_PLUGINS.join(', ')})`);
    const plugin = await importBuiltin(name);
    if (plugin) plugins.push(plugin);
    else if (names) throw new Error(`plugin "${name}" is not installed (src/node/plugins/${name}/index.ts)`);
  }
  return plugins;
}

/** A logger that only takes scalar fields (so a secret cannot ride along as an object). */
function pluginLogger(log: FastifyBaseLogger, name: string): PluginLogger {
  const child = log.child({ plugin: name });
  const clean = (fields?: Record<string, string | number | boolean>) => {
    const out: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(fields ?? {})) if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
    return out;
  };
  return {
    info: (msg, fields) => child.info(clean(fields), msg),
    warn: (msg, fields) => child.warn(clean(fields), msg),
  };
}

export interface LoadedPlugin {
  readonly plugin: DtaPlugin;
  readonly ctx: PluginContext;
}

export class PluginHost {
  readonly #plugins = new Map<string, LoadedPlugin>();

  constructor(plugins: readonly DtaPlugin[], deps: HostDeps) {
    const settings = deps.settings ?? {};
    const schemas = new Set(NODE_SCHEMAS);
    for (const name of Object.keys(settings)) {
      if (!plugins.some((p) => p.name === name)) {
        throw new Error(`settings for plugin "${name}", which does not run on this node (plugins: ${plugins.map((p) => p.name).join(', ') || 'none'})`);
      }
    }
    for (const plugin of plugins) {
      if (!NAME_RE.test(plugin.name) || RESERVED.has(plugin.name)) throw new Error(`bad plugin name "${plugin.name}"`);
      if (this.#plugins.has(plugin.name)) throw new Error(`two plugins named "${plugin.name}"`);
      if (plugin.openapi) checkPluginOpenApi(plugin.name, plugin.openapi, schemas);
      const ctx: PluginContext = {
        core: deps.core,
        node: deps.node,
        identities: deps.identities,
        keystore: scopeKeystore(deps.keystore, plugin.name),
        log: pluginLogger(deps.log, plugin.name),
        requests: deps.requests(plugin.name),
        ...(Object.hasOwn(settings, plugin.name) ? { config: frozenCopy(settings[plugin.name]) } : {}),
      };
      this.#plugins.set(plugin.name, { plugin, ctx });
    }
  }

  get(name: string): LoadedPlugin | undefined {
    return this.#plugins.get(name);
  }

  list(): { name: string; version: string }[] {
    return [...this.#plugins.values()].map(({ plugin }) => ({ name: plugin.name, version: plugin.version }));
  }

  names(): string[] {
    return [...this.#plugins.keys()];
  }

  /** Name, version and OpenAPI fragment of each plugin, for /openapi.json. */
  documented(): DocumentedPlugin[] {
    return [...this.#plugins.values()].map(({ plugin }) => ({ name: plugin.name, version: plugin.version, openapi: plugin.openapi }));
  }

  /** Registers every plugin's own routes, each encapsulated under /v1/plugins/<name>/. */
  async registerRoutes(app: FastifyInstance): Promise<void> {
    for (const { plugin, ctx } of this.#plugins.values()) {
      const routes = plugin.routes;
      if (!routes) continue;
      try {
        await app.register(async (scope) => routes.call(plugin, scope, ctx), { prefix: `/v1/plugins/${plugin.name}` });
      } catch (err) {
        // e.g. settings the plugin refuses: say which plugin, keep the plugin's own words
        throw new Error(`plugin "${plugin.name}": ${(err as Error).message}`, { cause: err });
      }
    }
  }
}

/** Splits an envelope type "<plugin>/<step>" (step: order or redeem). */
export function parseStepType(type: string): { plugin: string; step: string } | undefined {
  const m = /^([a-z][a-z0-9-]{0,31})\/([a-z][a-z0-9-]*)$/.exec(type);
  return m ? { plugin: m[1]!, step: m[2]! } : undefined;
}
