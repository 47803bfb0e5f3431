/**
 * The plugin host: gives each plugin (loaded by loader.ts, or given by a
 * test) a context with its own scoped keystore (names under "<plugin>/", so
 * no plugin reaches the node's keys or another plugin's secrets), and
 * dispatches order steps by envelope type: "<plugin>/order" to `order`,
 * "<plugin>/redeem" to `redeem`. Plugin routes are registered encapsulated
 * under /v1/plugins/<name>/, each with a schema (it documents the route in
 * /openapi.json; a route without one stops the node). A plugin's settings
 * (the object form of `plugins` in config.json) reach it as ctx.config, a
 * frozen copy; settings for a plugin that does not run here stop the node
 * at start, so a typo never goes unnoticed. A plugin's OpenAPI fragment
 * (DtaPlugin.openapi: envelope contents, error codes) is checked at start
 * and merged into /openapi.json.
 * @module
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { IdentityDocument, IdentityResolver, Verified } from '../../core/protocol/types.ts';
import type { Core } from '../../core/types.ts';
import { checkPluginOpenApi, type DocumentedPlugin } from '../http/openapi-plugins.ts';
import { NODE_SCHEMAS } from '../http/schemas.ts';
import { scopeKeystore } from '../keystore/file-keystore.ts';
import type { Keystore } from '../keystore/types.ts';
import type { DtaPlugin, PluginContext, PluginDkg, PluginLogger, PluginOrders, PluginRequests } from './types.ts';

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
  /** The node's order records, read-only (parties and state). */
  readonly orders?: PluginOrders;
  /** Builds the view of one plugin on the node's finished DKGs (dkg/plugin-dkg.ts). */
  readonly dkg?: (plugin: string) => PluginDkg;
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

/** A logger that only takes scalar fields (so a secret cannot ride along as an object). */
function pluginLogger(log: FastifyBaseLogger, name: string): PluginLogger {
  const child = log.child({ plugin: name });
  const clean = (fields?: Record<string, string | number | boolean>) => {
    const out: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(fields ?? {}))
      if (['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
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
        throw new Error(
          `settings for plugin "${name}", which does not run on this node (plugins: ${plugins.map((p) => p.name).join(', ') || 'none'})`,
        );
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
        ...(deps.orders ? { orders: deps.orders } : {}),
        ...(deps.dkg ? { dkg: deps.dkg(plugin.name) } : {}),
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
    return [...this.#plugins.values()].map(({ plugin }) => ({
      name: plugin.name,
      version: plugin.version,
      openapi: plugin.openapi,
    }));
  }

  /** Registers every plugin's own routes, each encapsulated under /v1/plugins/<name>/ and with a schema. */
  async registerRoutes(app: FastifyInstance): Promise<void> {
    for (const { plugin, ctx } of this.#plugins.values()) {
      const routes = plugin.routes;
      if (!routes) continue;
      const inScope = async (scope: FastifyInstance) => {
        scope.addHook('onRoute', (route) => {
          if (typeof route.schema !== 'object' || route.schema === null) {
            throw new Error(
              `route ${[route.method].flat().join(',')} ${route.url} declares no schema (docs/plugins.md)`,
            );
          }
        });
        await routes.call(plugin, scope, ctx);
      };
      try {
        await app.register(inScope, { prefix: `/v1/plugins/${plugin.name}` });
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

/**
 * The error of a node that failed to get ready, said in one line: a route schema that does not compile
 * names the plugin whose route it is. Anything else is returned as it is.
 */
export function explainReadyError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  const plugin = /\/v1\/plugins\/([a-z][a-z0-9-]{0,31})(\/|\b)/.exec(message)?.[1];
  if (!plugin || !(err as { code?: unknown }).code?.toString().startsWith('FST_ERR_SCH')) return err;
  return new Error(`plugin "${plugin}": a route schema does not compile: ${message.split('\n', 1)[0]}`, { cause: err });
}
