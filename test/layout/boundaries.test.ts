// The import boundaries of the repository (boundaries.ts): the browser never imports the server, the core
// imports nothing above it, a plugin's shared half never imports a server half, examples use only the
// public plugin surface. The first test reads the real tree; the others show the check catches each kind of
// violation, so a silent pass cannot come from a checker that sees nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { violations } from './boundaries.ts';
import { readGraph } from './import-graph.ts';

const root = join(import.meta.dirname, '..', '..');

describe('import boundaries', () => {
  it('the tree keeps every layering rule', () => {
    const graph = readGraph(root, ['src', 'examples']);
    expect(graph.length).toBeGreaterThan(100);
    expect(graph.flatMap((f) => f.imports).length).toBeGreaterThan(500);
    expect(violations(graph)).toEqual([]);
  });

  describe('catches', () => {
    const fake = mkdtempSync(join(tmpdir(), 'dta-layout-'));
    afterAll(() => rmSync(fake, { recursive: true, force: true }));
    const tree = (files: Record<string, string>): string[] => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fake, path)), { recursive: true });
        writeFileSync(join(fake, path), text);
      }
      return violations(readGraph(fake, ['src', 'examples'])).map((v) => `${v.from} -> ${v.specifier}: ${v.rule}`);
    };

    it('the app importing the node, and Node built-ins in browser code', () => {
      const found = tree({
        'src/node/server.ts': 'export const x = 1;\n',
        'src/app/page.ts': "import { x } from '../node/server.ts';\nimport { readFile } from 'node:fs';\n",
      });
      expect(found).toContain('src/app/page.ts -> ../node/server.ts: app must not import node');
      expect(found).toContain('src/app/page.ts -> node:fs: app code runs in browsers: no Node built-ins');
    });

    it('the core importing above it, also by dynamic import', () => {
      const found = tree({
        'src/plugins/p/a.ts': 'export const a = 1;\n',
        'src/core/c.ts': "export const c = () => import('../plugins/p/a.ts');\n",
      });
      expect(found).toContain('src/core/c.ts -> ../plugins/p/a.ts: core must not import plugins');
    });

    it('a shared half importing a server half or another plugin', () => {
      const found = tree({
        'src/node/plugins/p/index.ts': 'export const s = 1;\n',
        'src/plugins/q/b.ts': 'export const b = 1;\n',
        'src/plugins/p/shared.ts':
          "import { s } from '../../node/plugins/p/index.ts';\nimport { b } from '../q/b.ts';\n",
      });
      expect(found).toContain('src/plugins/p/shared.ts -> ../../node/plugins/p/index.ts: plugins must not import node');
      expect(found).toContain(
        "src/plugins/p/shared.ts -> ../q/b.ts: a plugin's shared half imports another plugin (q)",
      );
    });

    it('the app reaching into worker internals; examples using the node beyond its plugin types', () => {
      const found = tree({
        'src/worker/vault/vault.ts': 'export const v = 1;\n',
        'src/app/keys.ts': "import { v } from '../worker/vault/vault.ts';\n",
        'src/node/plugins/types.ts': 'export interface DtaPlugin { name: string }\n',
        'src/node/home.ts': 'export const h = 1;\n',
        'examples/p/index.ts':
          "import type { DtaPlugin } from '../../src/node/plugins/types.ts';\nimport { h } from '../../src/node/home.ts';\n",
      });
      expect(found).toContain(
        'src/app/keys.ts -> ../worker/vault/vault.ts: the app reaches the worker only through its page-side client modules in src/worker/',
      );
      expect(found).toContain('examples/p/index.ts -> ../../src/node/home.ts: examples must not import node');
      expect(found.some((f) => f.includes('types.ts'))).toBe(false);
    });
  });
});
