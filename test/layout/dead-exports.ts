/**
 * Exports nobody imports. An export is live when another file of src/,
 * test/, bench/, scripts/ or examples/ imports it by name, imports the
 * whole module (namespace, `export *`, dynamic import, a worker URL), or
 * when the module is an entry point whose exports are its contract with a
 * loader rather than with an importer (ENTRY_POINTS).
 * @module
 */
import type { SourceFile } from './import-graph.ts';

/** Modules whose exports are read by a loader, not by an import: name them here, with why. */
export const ENTRY_POINTS: Readonly<Record<string, string>> = {
  'src/node/plugins/safeguard/index.ts': 'built-in plugin, loaded by the plugin loader',
  'src/node/plugins/bitcoin/index.ts': 'built-in plugin, loaded by the plugin loader',
  'src/node/plugins/mpin/index.ts': 'built-in plugin, loaded by the plugin loader',
  'src/core/index.ts': 'the core library entry point documented in the README',
};

export interface DeadExport {
  readonly file: string;
  readonly name: string;
}

/** Every export of a file under `prefix` that no other file uses. */
export function deadExports(graph: readonly SourceFile[], prefix = 'src/'): DeadExport[] {
  const used = new Map<string, Set<string>>();
  for (const file of graph) {
    for (const e of file.imports) {
      if (e.to === undefined || e.to === file.path) continue;
      const names = used.get(e.to) ?? new Set<string>();
      for (const n of e.names) names.add(n);
      used.set(e.to, names);
    }
  }
  const out: DeadExport[] = [];
  for (const file of graph) {
    if (!file.path.startsWith(prefix) || ENTRY_POINTS[file.path] !== undefined) continue;
    const names = used.get(file.path);
    if (names?.has('*')) continue;
    for (const name of new Set(file.exports)) if (!names?.has(name)) out.push({ file: file.path, name });
  }
  return out;
}
