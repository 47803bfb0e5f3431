/**
 * Turns the modules of test/cases/ into named test cases, the same way in Node (to name the vitest tests)
 * and in the page (to run them). No Node or DOM APIs here.
 *
 * A case is an async function over a CoreLike; every exported function of a case module is one case, and
 * an exported object or array of functions contributes one case per entry. The name is
 * "<file> › <export>[ › <entry>]".
 * @module
 */
import type { CoreLike } from '../../src/core/types.ts';

/** A case: an async check over the core (in the browser suite, the worker proxy). */
export type CaseFn = (core: CoreLike) => unknown;

export type Cases = ReadonlyMap<string, CaseFn>;

function fileLabel(path: string): string {
  return (path.split('/').pop() ?? path).replace(/\.ts$/, '');
}

function addEntries(into: Map<string, CaseFn>, prefix: string, value: unknown): void {
  if (typeof value === 'function') {
    into.set(prefix, value as CaseFn);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry === 'function') into.set(`${prefix} › ${key}`, entry as CaseFn);
  }
}

/** `modules` maps a file path (any form ending in the file name) to its module namespace. */
export function collectCases(modules: Readonly<Record<string, unknown>>): Cases {
  const cases = new Map<string, CaseFn>();
  for (const path of Object.keys(modules).sort()) {
    const ns = modules[path] as Record<string, unknown>;
    for (const name of Object.keys(ns).sort()) {
      if (name === 'default') continue;
      addEntries(cases, `${fileLabel(path)} › ${name}`, ns[name]);
    }
  }
  return cases;
}
