/**
 * wasm/dta.wasm needs WebAssembly SIMD (its Fp products, wasm/src/fp.c): the probe the loader asks after a failed
 * load (src/core/wasm/simd.ts) must tell an engine with SIMD from one without, and the module must really use it
 * (else the requirement, and the words about it, would be for nothing).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultCoreUrl } from '../../src/core/index.ts';
import { hasWasmSimd, NO_SIMD_REASON } from '../../src/core/wasm/simd.ts';

/** A module with one function of the given body (no locals) returning v128, as the probe is built. */
function moduleReturningV128(body: readonly number[]): Uint8Array<ArrayBuffer> {
  const code = [0x00, ...body, 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x0a, code.length + 2, 0x01, code.length, ...code],
  ]);
}

describe('wasm SIMD', () => {
  it('is found in Node 22, whose engine has it', () => {
    expect(hasWasmSimd()).toBe(true);
  });

  it('is probed by an instruction the engine checks: the same module with an unknown SIMD opcode is refused', () => {
    const constZero = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
    expect(WebAssembly.validate(moduleReturningV128(constZero))).toBe(true);
    expect(WebAssembly.validate(moduleReturningV128([0xfd, 0xff, 0x0f]))).toBe(false);
  });

  it('is used by dta.wasm, so an engine without it cannot compile the core', async () => {
    const bytes = readFileSync(defaultCoreUrl());
    const module = await WebAssembly.compile(bytes);
    expect(module).toBeInstanceOf(WebAssembly.Module);
    // 0xfd 0xde 0x01 and 0xfd 0xdf 0x01: i64x2.extmul_low/high_i32x4_u, the products of fp_mul.
    expect(bytes.indexOf(Buffer.from([0xfd, 0xde, 0x01]))).toBeGreaterThan(0);
    expect(bytes.indexOf(Buffer.from([0xfd, 0xdf, 0x01]))).toBeGreaterThan(0);
  });

  it('names what is missing and which browsers have it', () => {
    expect(NO_SIMD_REASON).toMatch(/SIMD/);
    expect(NO_SIMD_REASON).toMatch(/Safari 16\.4/);
  });
});
