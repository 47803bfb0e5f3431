/**
 * Every shared vector file through the vector runner's functions (one test
 * per file: all of its records pass, and as many as the file holds), and
 * one run of the CLI as a child process (its last line and exit status).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import { runVectors, type VectorKind } from '../../src/core/vectors/run.ts';
import { haveVectors, VECTORS } from './vectors-dir.ts';

const suite = haveVectors ? describe : describe.skip;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** How many records a file holds, counted independently of the runner. */
function recordsIn(kind: VectorKind, file: string): number {
  const text = readFileSync(file, 'utf8');
  switch (kind) {
    case 'rfc9380': {
      const doc = JSON.parse(text) as { vectors?: unknown[]; tests?: unknown[] };
      return (doc.vectors ?? doc.tests ?? []).length;
    }
    case 'eth-bls':
      return 1;
    case 'amcl-bls':
      return (text.match(/^COUNT = /gm) ?? []).length + 1; // + the infinity check after the last record
    case 'amcl-h2c':
      return (text.match(/^msg +=/gm) ?? []).length;
    case 'amcl-mpin':
      return (text.match(/^TEST = /gm) ?? []).length;
    case 'amcl-mpin-json':
      return (JSON.parse(text) as unknown[]).length;
  }
}

function filesOf(dir: string, suffix: string): string[] {
  if (!haveVectors) return [];
  return readdirSync(join(VECTORS, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => join(VECTORS, dir, f));
}

const FILES: [VectorKind, string[]][] = [
  ['rfc9380', filesOf('hash-to-curve', '.json')],
  ['eth-bls', filesOf('bls-signature', '.json')],
  ['amcl-bls', haveVectors ? [join(VECTORS, 'milagro/bls/bls12_381.rsp')] : []],
  [
    'amcl-h2c',
    haveVectors ? ['hash2curve_G1.rsp', 'hash2curve_G2.rsp'].map((f) => join(VECTORS, 'milagro/bls', f)) : [],
  ],
  ['amcl-mpin', haveVectors ? [join(VECTORS, 'milagro/mpin/BLS381.txt')] : []],
  ['amcl-mpin-json', haveVectors ? [join(VECTORS, 'milagro/mpin/BLS381.json')] : []],
];

suite('published vectors through the runner', () => {
  let core: Core;
  beforeAll(async () => {
    core = await createCore();
  });

  for (const [kind, files] of FILES) {
    describe(kind, () => {
      it('finds its files', () => {
        expect(files.length).toBeGreaterThan(0);
      });
      for (const file of files) {
        it(file.slice(VECTORS.length), { timeout: 120_000 }, async () => {
          const report = await runVectors(core, kind, file);
          expect(report.lines().join('\n')).toBe(`${recordsIn(kind, file)} passed, 0 failed`);
        });
      }
    });
  }
});

suite('the vectors CLI', () => {
  const run = promisify(execFile);
  // The CLI needs Node >= 22 (type stripping): the project's own node first, as npm scripts do.
  const local = join(root, 'node_modules/.bin/node');
  const node = existsSync(local) ? local : process.execPath;
  const cli = join(root, 'src/core/vectors/cli.ts');

  it('runs a folder and ends with the summary line, exit status 0', async () => {
    const { stdout } = await run(node, [cli, 'rfc9380', join(VECTORS, 'hash-to-curve')], { cwd: root });
    const lines = stdout.trimEnd().split('\n');
    const records = filesOf('hash-to-curve', '.json').reduce((n, f) => n + recordsIn('rfc9380', f), 0);
    expect(lines.at(-1)).toBe(`${records} passed, 0 failed`);
    expect(lines).toHaveLength(1);
  });

  it('exits 1 with a one-line message for an unreadable path', async () => {
    const failure = await run(node, [cli, 'eth-bls', join(VECTORS, 'no-such-folder')], { cwd: root }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure?.stderr).toMatch(/no-such-folder/);
  });

  it('exits 2 with the usage for an unknown kind', async () => {
    const failure = await run(node, [cli, 'nope', VECTORS], { cwd: root }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/usage/);
  });
});
