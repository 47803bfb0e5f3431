/**
 * Which plugins a node runs, and importing them. A plugin is a module whose default export (or export
 * `plugin`) is a DtaPlugin (types.ts; docs/plugins.md). The built-in ones are found by name in
 * BUILTIN_PLUGINS; any other is named in config.json with the module to import:
 *
 *   "plugins": { "safeguard": {}, "notary": { "module": "./plugins/notary/index.ts", "...": "settings" } }
 *
 * A relative specifier ("./", "../") is resolved against the node home, the directory of config.json; an
 * absolute path or a file: URL is taken as it is; a bare specifier ("dta-plugin-x") goes through Node's
 * own resolution from this package. Without `plugins` every built-in plugin runs. Anything wrong stops the
 * node at start with one line naming the plugin (a plain Error, which the CLI prints bare): a module not
 * found or throwing on import, an export that is not a DtaPlugin, a plugin whose name differs from its key in
 * config.json.
 * @module
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DtaPlugin } from './types.ts';

/** The built-in plugins: name → module (next to this file). */
const BUILTIN_PLUGINS: Readonly<Record<string, string>> = Object.freeze({
  safeguard: new URL('./safeguard/index.ts', import.meta.url).href,
  bitcoin: new URL('./bitcoin/index.ts', import.meta.url).href,
  mpin: new URL('./mpin/index.ts', import.meta.url).href,
  custody: new URL('./custody/index.ts', import.meta.url).href,
});

/** The key of a plugin's settings that names its module; never passed on to the plugin. */
const MODULE_KEY = 'module';

/** What the loader needs of the node configuration (config.ts). */
interface PluginConfig {
  /** The node home: relative module specifiers are resolved against it. */
  readonly home: string;
  /** Plugins to run; undefined = every built-in plugin. */
  readonly plugins: readonly string[] | undefined;
  /** Settings by plugin name (may hold `module`). */
  readonly pluginSettings: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

interface LoadedPlugins {
  readonly plugins: DtaPlugin[];
  /** Each plugin's own settings, without `module`: what it receives as ctx.config. */
  readonly settings: Record<string, Readonly<Record<string, unknown>>>;
}

/** The URL or specifier to import for `spec`, given in the configuration of the node at `home`. */
function resolveSpecifier(spec: string, home: string): string {
  if (spec.startsWith('./') || spec.startsWith('../')) return pathToFileURL(resolve(home, spec)).href;
  if (isAbsolute(spec)) return pathToFileURL(spec).href;
  return spec; // file: URL or bare specifier
}

const FN_FIELDS = ['order', 'redeem', 'routes'] as const;

/** Why `value` is not a DtaPlugin, or undefined when it is one. */
function pluginShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'is not an object';
  const p = value as Record<string, unknown>;
  if (typeof p.name !== 'string' || p.name === '') return 'has no name';
  if (typeof p.version !== 'string' || p.version === '') return 'has no version';
  for (const f of FN_FIELDS) {
    if (p[f] !== undefined && typeof p[f] !== 'function') return `has a "${f}" that is not a function`;
  }
  if (p.openapi !== undefined && (typeof p.openapi !== 'object' || p.openapi === null)) {
    return 'has an openapi that is not an object';
  }
  if (FN_FIELDS.every((f) => p[f] === undefined)) return 'has no order, redeem or routes';
  return undefined;
}

/** The first line of an error's message, at most 200 characters (no stack, no multi-line dumps). */
function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split('\n', 1)[0] ?? '').slice(0, 200);
}

/** Imports the module of plugin `name`; `shown` is how the configuration wrote it. */
async function importModule(name: string, url: string, shown: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT') {
      throw new Error(`plugin "${name}": module ${shown} not found (${firstLine(err)})`);
    }
    throw new Error(`plugin "${name}": module ${shown} failed to load: ${firstLine(err)}`);
  }
}

/** The DtaPlugin module `mod` exports (default, else `plugin`), checked against the name it is configured as. */
function pluginOf(mod: Record<string, unknown>, name: string, shown: string): DtaPlugin {
  const exported = mod.default ?? mod.plugin;
  if (exported === undefined) {
    throw new Error(`plugin "${name}": module ${shown} has no default export or "plugin" export`);
  }
  const problem = pluginShapeProblem(exported);
  if (problem) throw new Error(`plugin "${name}": the export of module ${shown} is not a DtaPlugin: it ${problem}`);
  const plugin = exported as DtaPlugin;
  if (plugin.name !== name) {
    throw new Error(
      `plugin "${name}": module ${shown} exports a plugin named "${plugin.name}"; ` +
        'its key in config.json must be its name',
    );
  }
  return plugin;
}

/** Where plugin `name` comes from: its configured module, else the built-in of that name. */
function sourceOf(name: string, settings: Readonly<Record<string, unknown>> | undefined, home: string) {
  const spec = settings?.[MODULE_KEY];
  if (spec !== undefined) {
    if (typeof spec !== 'string' || spec.trim() === '') {
      throw new Error(`plugin "${name}": "${MODULE_KEY}" must be a module specifier (text)`);
    }
    return { url: resolveSpecifier(spec, home), shown: JSON.stringify(spec) };
  }
  const builtin = BUILTIN_PLUGINS[name];
  if (!builtin) {
    throw new Error(
      `unknown plugin "${name}" (built in: ${Object.keys(BUILTIN_PLUGINS).join(', ')}); ` +
        `any other plugin needs its "${MODULE_KEY}" in config.json`,
    );
  }
  return { url: builtin, shown: `(built-in ${name})` };
}

/** Imports and checks the configured plugins (or every built-in one), in the configured order. */
export async function loadPlugins(config: PluginConfig): Promise<LoadedPlugins> {
  const names = config.plugins ?? Object.keys(BUILTIN_PLUGINS);
  const plugins: DtaPlugin[] = [];
  const settings: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const name of names) {
    const given = Object.hasOwn(config.pluginSettings, name) ? config.pluginSettings[name] : undefined;
    const { url, shown } = sourceOf(name, given, config.home);
    plugins.push(pluginOf(await importModule(name, url, shown), name, shown));
    if (given) {
      const { [MODULE_KEY]: _module, ...own } = given;
      settings[name] = own;
    }
  }
  return { plugins, settings };
}
