/**
 * Base-field rows of `npm run bench` (issue 10, part 4): one Fp multiplication or squaring per JS call, ours
 * (wasm/src/fp.c, 14 x 29-bit limbs) through the test-only hooks module (wasm/test/field_hooks.c, built here by
 * `bash wasm/build.sh --field-test`: the core exports no field operation) against mcl-wasm's mclBnFp_mul and
 * mclBnFp_sqr, both on operands already in their module's memory. Skipped with a note when clang is missing.
 * @module
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

export interface FieldRow {
  readonly op: string;
  /** Median ns per operation, the JS-to-wasm call included. */
  readonly ours: number;
  readonly mcl: number;
}

export const FIELD_NOTES = [
  'Fp rows: one multiplication (or squaring) per call, chained, operands in wasm memory; ns per call, the ' +
    'JS-to-wasm call (about 9 ns) included for both. Ours from wasm/test/field_hooks.c (same fp.c as dta.wasm).',
];

const OPS_PER_CALL = 100; // calls per timed function, so the 0.1 µs resolution of the table is 1 ns here

interface Hooks {
  hook_scratch(): number;
  hook_set(r: number, v: number): void;
  hook_mul(r: number, a: number, b: number): void;
  hook_sqr(r: number, a: number): void;
}

interface McLMod {
  _malloc(n: number): number;
  _mclBnFp_setInt32(r: number, v: number): void;
  _mclBnFp_mul(r: number, a: number, b: number): void;
  _mclBnFp_sqr(r: number, a: number): void;
}

function buildHooks(): Hooks | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'dta-bench-field-'));
  try {
    const out = join(dir, 'field_hooks.wasm');
    const script = fileURLToPath(new URL('../wasm/build.sh', import.meta.url));
    execFileSync('bash', [script, '--field-test', out], { stdio: 'pipe' });
    return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), {}).exports as unknown as Hooks;
  } catch {
    console.error('  Fp rows skipped: the hooks module did not build (clang and lld needed)');
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const repeat = (fn: () => void) => () => {
  for (let i = 0; i < OPS_PER_CALL; i++) fn();
};

/** Fp mul and sqr, ours against mcl's, samples interleaved; [] when filtered out or without clang. */
export function fieldRows(options: MeasureOptions, only?: string): FieldRow[] {
  const names = ['Fp mul', 'Fp sqr'].filter((n) => only === undefined || n.includes(only));
  if (names.length === 0) return [];
  const hooks = buildHooks();
  if (hooks === undefined) return [];
  // mcl-wasm's emscripten module (the same instance bench/mcl.ts initialised): its raw exports take pointers.
  const m = (createRequire(import.meta.url)('mcl-wasm') as { mod: McLMod }).mod;
  const ours = hooks.hook_scratch();
  const [ox, oy] = [ours, ours + 56]; // two 14-limb fp
  const [mx, my] = [m._malloc(48), m._malloc(48)];
  hooks.hook_set(ox, 0x12345678);
  hooks.hook_set(oy, 0x9abcdef);
  m._mclBnFp_setInt32(mx, 0x12345678);
  m._mclBnFp_setInt32(my, 0x9abcdef);
  const fns: Record<string, Record<'ours' | 'mcl', () => void>> = {
    'Fp mul': { ours: repeat(() => hooks.hook_mul(ox, ox, oy)), mcl: repeat(() => m._mclBnFp_mul(mx, mx, my)) },
    'Fp sqr': { ours: repeat(() => hooks.hook_sqr(ox, ox)), mcl: repeat(() => m._mclBnFp_sqr(mx, mx)) },
  };
  return names.map((op) => {
    const us = measureSideBySide(fns[op]!, options);
    const ns = (v: number) => Math.round((v * 1000) / OPS_PER_CALL);
    return { op, ours: ns(us.ours), mcl: ns(us.mcl) };
  });
}

export function printFieldTable(rows: readonly FieldRow[]): void {
  const header = ['operation', 'ours ns', 'mcl-wasm ns', 'ours/mcl'];
  const lines = rows.map((r) => [r.op, String(r.ours), String(r.mcl), (r.ours / r.mcl).toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
