/**
 * The shared cases of test/cases/*.ts (the same modules the browser suite
 * runs in Chromium through the worker), here against the core in-process.
 * Every exported function is a case; an exported object contributes one
 * case per function entry (the convention of test/browser/collect.ts).
 */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import type { Core, CoreLike } from '../../src/core/types.ts';

type CaseFn = (core: CoreLike) => unknown;

const dir = new URL('../cases/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .sort();

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

for (const file of files) {
  const ns = (await import(new URL(file, dir).href)) as Record<string, unknown>;
  describe(file.replace(/\.ts$/, ''), () => {
    for (const name of Object.keys(ns).sort()) {
      const value = ns[name];
      if (typeof value === 'function') {
        it(name, () => (value as CaseFn)(core));
        continue;
      }
      for (const [entry, fn] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof fn === 'function') it(`${name} › ${entry}`, () => (fn as CaseFn)(core));
      }
    }
  });
}
