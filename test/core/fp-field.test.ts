/**
 * The base field Fp (wasm/src/fp.c: 14 x 29-bit limbs, Montgomery radix 2^406, values kept in [0, 2p))
 * against BigInt arithmetic, through the test-only hooks of wasm/test/field_hooks.c (built here by
 * `bash wasm/build.sh --field-test`, never part of wasm/dta.wasm). Operands are internal representations below
 * 2p, so the lazy twins p, p + 1, 2p - 1 of 0, 1, p - 1 are inputs too; every result must also keep the
 * invariants the fast paths rely on: each limb below 2^29 and the value below 2p.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const P = 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
const R = 1n << 406n;
const LIMBS = 14;

const mod = (x: bigint): bigint => ((x % P) + P) % P;
function pow(b: bigint, e: bigint): bigint {
  let r = 1n;
  let x = mod(b);
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % P;
    x = (x * x) % P;
  }
  return r;
}
const inv = (x: bigint): bigint => pow(x, P - 2n);
const R_INV = inv(R % P);
/** The Montgomery product the core computes: a b / R mod p. */
const montMul = (a: bigint, b: bigint): bigint => mod(a * b * R_INV);

/** Hook op codes, in the order of the enum in wasm/test/field_hooks.c. */
const Op = {
  add: 0,
  sub: 1,
  mul: 2,
  sqr: 3,
  inv: 4,
  sqrt: 5,
  neg: 6,
  half: 7,
  dbl: 8,
  mulUnreduced: 9,
  eq: 10,
  isZero: 11,
  fp2Mul: 12,
  fp2Sqr: 13,
} as const;

interface Hooks {
  hook_io(): number;
  hook_raw(): number;
  hook_fp(op: number): number;
  memory: WebAssembly.Memory;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'dta-fp-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds the hooks module; undefined (with the reason printed) when the C toolchain is missing. */
function buildHooks(): Hooks | undefined {
  const out = join(dir, 'field_hooks.wasm');
  try {
    execFileSync('bash', [join(root, 'wasm/build.sh'), '--field-test', out], { stdio: 'pipe' });
  } catch (e) {
    const message = `the Fp hooks module did not build (clang and lld needed): ${(e as Error).message.split('\n')[0]}`;
    if (process.env['CI']) throw new Error(message);
    console.warn(`${message}: the differential Fp test is skipped`);
    return undefined;
  }
  const module = new WebAssembly.Module(readFileSync(out));
  return new WebAssembly.Instance(module, {}).exports as unknown as Hooks;
}

const hooks = buildHooks();

function writeBE(bytes: Uint8Array, at: number, x: bigint): void {
  let v = x;
  for (let i = 47; i >= 0; i--) {
    bytes[at + i] = Number(v & 0xffn);
    v >>= 8n;
  }
}

function readBE(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 0; i < 48; i++) v = (v << 8n) | BigInt(bytes[at + i]!);
  return v;
}

interface Result {
  readonly value: bigint; // canonical, in [0, p)
  readonly raw: readonly bigint[]; // each result coefficient's representation as computed, from its limbs
  readonly flag: number;
}

/** Runs op on up to four operands (Fp2 ops read all four) and checks the limb invariants of the output. */
function run(op: number, operands: readonly bigint[], coefficients = 1): Result & { readonly second: bigint } {
  const h = hooks!;
  const io = new Uint8Array(h.memory.buffer, h.hook_io(), 4 * 48);
  for (const [i, x] of operands.entries()) writeBE(io, 48 * i, x);
  const flag = h.hook_fp(op) >>> 0;
  const limbs = new Uint32Array(h.memory.buffer, h.hook_raw(), 2 * LIMBS);
  const raw: bigint[] = [];
  for (let c = 0; c < coefficients; c++) {
    let v = 0n;
    for (let i = LIMBS - 1; i >= 0; i--) {
      const limb = limbs[c * LIMBS + i]!;
      expect(limb, `limb ${i} of a result of op ${op}`).toBeLessThan(2 ** 29);
      v = (v << 29n) | BigInt(limb);
    }
    expect(v < 2n * P, `op ${op} left a value >= 2p`).toBe(true);
    raw.push(v);
  }
  return { value: readBE(io, 0), second: readBE(io, 48), raw, flag };
}

/** A small deterministic generator (splitmix64) for the random operands below 2p. */
function randoms(count: number, seed: bigint): bigint[] {
  let s = seed;
  const next64 = (): bigint => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let x = 0n;
    for (let w = 0; w < 6; w++) x = (x << 64n) | next64();
    out.push(x % (2n * P));
  }
  return out;
}

/** Edge values, with the lazy twins x + p of the canonical ones, and values at the top-limb steps (multiples
 * of 2^377) where fp_add/fp_sub's quotient estimate changes. */
const STEPS = [13n, 14n, 25n, 26n].flatMap((k) => [(k << 377n) - 1n, k << 377n]);
const EDGES = [
  ...[0n, 1n, 2n, P - 1n, P, P + 1n, 2n * P - 1n, (P - 1n) / 2n, (P + 1n) / 2n, (1n << 29n) - 1n, (1n << 381n) - 1n],
  ...STEPS.filter((x) => x < 2n * P),
];
const VALUES = [...EDGES, ...randoms(24, 0x5eedn)];
const PAIRS: [bigint, bigint][] = VALUES.flatMap((a) => VALUES.map((b): [bigint, bigint] => [a, b]));

describe.skipIf(hooks === undefined)('Fp against BigInt (lazy [0, 2p) inputs)', () => {
  it('add, sub, eq on every pair of edge and random values', () => {
    for (const [a, b] of PAIRS) {
      expect(run(Op.add, [a, b]).value).toBe(mod(a + b));
      expect(run(Op.sub, [a, b]).value).toBe(mod(a - b));
      expect(run(Op.eq, [a, b]).flag).toBe(mod(a) === mod(b) ? 1 : 0);
    }
  });

  it('mul, and mul of unreduced factors up to 4p', () => {
    for (const [a, b] of PAIRS) {
      expect(run(Op.mul, [a, b]).value).toBe(montMul(a, b));
      expect(run(Op.mulUnreduced, [a, b]).value).toBe(montMul(a + b, a - b + 2n * P));
    }
  });

  it('sqr, neg, dbl, half, is_zero on every value', () => {
    const half = inv(2n);
    for (const a of VALUES) {
      expect(run(Op.sqr, [a]).value).toBe(montMul(a, a));
      expect(run(Op.neg, [a]).value).toBe(mod(-a));
      expect(run(Op.dbl, [a]).value).toBe(mod(2n * a));
      expect(run(Op.half, [a]).value).toBe(mod(a * half));
      expect(run(Op.isZero, [a]).flag).toBe(mod(a) === 0n ? 1 : 0);
    }
  });

  it('inv: the Montgomery form of 1/x (R^2 / a), and 0 for both representatives of 0', () => {
    for (const a of VALUES) expect(run(Op.inv, [a]).value).toBe(mod(a) === 0n ? 0n : mod(R * R * inv(a)));
  });

  it('sqrt: says whether a/R is a square, and when it is, returns a root', () => {
    let squares = 0;
    for (const a of VALUES) {
      const x = mod(a * R_INV);
      const isSquare = x === 0n || pow(x, (P - 1n) / 2n) === 1n;
      const r = run(Op.sqrt, [a]);
      expect(r.flag).toBe(isSquare ? 1 : 0);
      if (isSquare) expect(montMul(r.value, r.value)).toBe(mod(a));
      squares += isSquare ? 1 : 0;
    }
    expect(squares).toBeGreaterThan(0);
    expect(squares).toBeLessThan(VALUES.length);
  });

  it('Fp2 mul (Karatsuba on unreduced sums) and sqr', () => {
    const vs = VALUES.slice(0, 20);
    for (let i = 0; i < vs.length; i++) {
      const [a0, a1, b0, b1] = [vs[i]!, vs[(i + 3) % vs.length]!, vs[(i + 7) % vs.length]!, vs[(i + 11) % vs.length]!];
      const m = run(Op.fp2Mul, [a0, a1, b0, b1], 2);
      expect([m.value, m.second]).toEqual([montMul(1n, a0 * b0 - a1 * b1), montMul(1n, a0 * b1 + a1 * b0)]);
      const s = run(Op.fp2Sqr, [a0, a1, b0, b1], 2);
      expect([s.value, s.second]).toEqual([montMul(1n, a0 * a0 - a1 * a1), montMul(1n, 2n * a0 * a1)]);
    }
  });
});
