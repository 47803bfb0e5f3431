/**
 * The layering of the repository as data, and the check that holds the
 * import graph to it. Dependencies point down:
 *
 *   app ──→ worker (page-side clients only) ──→ plugins' shared halves ──→ core
 *   node (server halves included) ───────────────────↗
 *
 * A layer is the first rule whose prefix a file's path starts with; each
 * rule lists the layers that layer may import. Imports of files outside
 * `src/` (tests, bench, examples) are not constrained here, except that
 * examples, being plugins written by others, may only use the public plugin
 * surface.
 * @module
 */
import type { ImportEdge, SourceFile } from './import-graph.ts';

export interface LayerRule {
  readonly layer: string;
  /** Path prefix (relative to the repository root) of the files in this layer. */
  readonly prefix: string;
  /** Layers this one may import (itself included when listed). */
  readonly mayImport: readonly string[];
  /** Files of other layers this one may import only with `import type` (interfaces, no code). */
  readonly typeOnly?: readonly string[];
  /** Node built-ins (`node:*`) allowed: browser code must not use them. */
  readonly nodeBuiltins: boolean | ((file: string) => boolean);
  /** Extra check of an edge that the layer list cannot say (e.g. same plugin only). */
  readonly edge?: (e: ImportEdge, target: string) => string | undefined;
}

const pluginOf = (path: string): string | undefined => /^src\/plugins\/([^/]+)\//.exec(path)?.[1];

/** The app may reach the worker only through the page-side modules at src/worker/ (not vault/ or api/ internals). */
const appToWorker = (_e: ImportEdge, target: string): string | undefined =>
  target.startsWith('src/worker/') && target.slice('src/worker/'.length).includes('/') && !_e.typeOnly
    ? 'the app reaches the worker only through its page-side client modules in src/worker/'
    : undefined;

/** A shared half uses its own plugin's shared files and the core, never another plugin's. */
const samePlugin = (e: ImportEdge, target: string): string | undefined => {
  const mine = pluginOf(e.from);
  const theirs = pluginOf(target);
  return theirs !== undefined && theirs !== mine
    ? `a plugin's shared half imports another plugin (${theirs})`
    : undefined;
};

export const LAYERS: readonly LayerRule[] = [
  // The vector runner is a Node command-line tool built on the core (reads files).
  { layer: 'core', prefix: 'src/core/', mayImport: ['core'], nodeBuiltins: (f) => f.startsWith('src/core/vectors/') },
  { layer: 'plugins', prefix: 'src/plugins/', mayImport: ['core', 'plugins'], nodeBuiltins: false, edge: samePlugin },
  { layer: 'worker', prefix: 'src/worker/', mayImport: ['core', 'plugins', 'worker'], nodeBuiltins: false },
  {
    layer: 'app',
    prefix: 'src/app/',
    mayImport: ['core', 'plugins', 'worker', 'app'],
    nodeBuiltins: false,
    edge: appToWorker,
  },
  { layer: 'node', prefix: 'src/node/', mayImport: ['core', 'plugins', 'node'], nodeBuiltins: true },
  // Plugins written outside src/: the shared layers, and the plugin interface as types only.
  {
    layer: 'examples',
    prefix: 'examples/',
    mayImport: ['core', 'plugins', 'examples'],
    nodeBuiltins: true,
    typeOnly: ['src/node/plugins/types.ts'],
  },
];

export function layerOf(path: string): LayerRule | undefined {
  return LAYERS.find((l) => path.startsWith(l.prefix));
}

export interface Violation {
  readonly from: string;
  readonly specifier: string;
  readonly rule: string;
}

function checkEdge(e: ImportEdge): string | undefined {
  const rule = layerOf(e.from);
  if (!rule) return undefined;
  if (e.specifier.startsWith('node:')) {
    const ok = typeof rule.nodeBuiltins === 'function' ? rule.nodeBuiltins(e.from) : rule.nodeBuiltins;
    return ok ? undefined : `${rule.layer} code runs in browsers: no Node built-ins`;
  }
  if (e.to === undefined) return undefined; // a package: the bundler and package.json decide
  const target = layerOf(e.to);
  if (!target) return `${rule.layer} imports ${e.to}, which belongs to no layer of src/`;
  if (rule.typeOnly?.includes(e.to) && e.typeOnly) return undefined;
  if (!rule.mayImport.includes(target.layer)) return `${rule.layer} must not import ${target.layer}`;
  return rule.edge?.(e, e.to);
}

/** Every import in `graph` that breaks the layering. */
export function violations(graph: readonly SourceFile[]): Violation[] {
  const out: Violation[] = [];
  for (const file of graph) {
    for (const e of file.imports) {
      const rule = checkEdge(e);
      if (rule) out.push({ from: e.from, specifier: e.specifier, rule });
    }
  }
  return out;
}
