// Dead exports: a value exported from src/ that no file imports is either dead code or should be private to its
// module. The first test holds the tree to none; the others show the reader sees uses of each kind (named,
// namespace, re-export, dynamic import) so that an empty result means something.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deadExports } from './dead-exports.ts';
import { readGraph } from './import-graph.ts';

const root = join(import.meta.dirname, '..', '..');
const EVERYWHERE = ['src', 'test', 'bench', 'scripts', 'examples'];

describe('dead exports', () => {
  it('every value src/ exports is imported somewhere', () => {
    const dead = deadExports(readGraph(root, EVERYWHERE)).map((d) => `${d.file}: ${d.name}`);
    expect(dead).toEqual([]);
  });

  describe('the reader', () => {
    const fake = mkdtempSync(join(tmpdir(), 'dta-dead-'));
    afterAll(() => rmSync(fake, { recursive: true, force: true }));
    const dead = (files: Record<string, string>): string[] => {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(fake, path)), { recursive: true });
        writeFileSync(join(fake, path), text);
      }
      return deadExports(readGraph(fake, EVERYWHERE)).map((d) => `${d.file}: ${d.name}`);
    };

    it('finds an export nobody imports, and not one imported by name, by re-export or dynamically', () => {
      const found = dead({
        'src/a.ts': 'export const used = 1;\nexport const unused = 2;\nexport function alsoUnused() {}\n',
        'src/b.ts': "import { used } from './a.ts';\nexport { viaReexport } from './c.ts';\nexport const b = used;\n",
        'src/c.ts': 'export const viaReexport = 3;\n',
        'src/d.ts': 'export const dynamic = 4;\n',
        'test/t.ts': "import { b, viaReexport } from '../src/b.ts';\nconst d = import('../src/d.ts');\n",
      });
      expect(found.sort()).toEqual(['src/a.ts: alsoUnused', 'src/a.ts: unused']);
    });

    it('counts an interface as the vocabulary of signatures, not as a dead value', () => {
      const found = dead({ 'src/e.ts': 'export interface Shape { x: number }\nexport type Id = string;\n' });
      expect(found.filter((f) => f.startsWith('src/e.ts'))).toEqual([]);
    });
  });
});
