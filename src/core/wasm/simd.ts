/**
 * Whether this engine's WebAssembly has SIMD (simd128), which wasm/dta.wasm needs: its base-field products run
 * two at a time in i64x2 lanes (wasm/src/fp.c). Chrome and Edge 91+, Firefox 89+, Safari 16.4+ and Node 16.4+
 * have it. The loader asks only after a load failed, to say why in words rather than a compiler's opcode error.
 * @module
 */

/** The smallest module with a SIMD instruction: one function returning v128.const 0. */
const SIMD_PROBE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // magic, version 1
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // type section: () -> v128
  ...[0x03, 0x02, 0x01, 0x00], // function section: one function of type 0
  ...[0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b], // code: v128.const 0
]);

/** True when the engine validates a SIMD instruction. */
export function hasWasmSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** What the loader says when the engine lacks SIMD. */
export const NO_SIMD_REASON =
  "this browser's WebAssembly has no SIMD (simd128), which the crypto core needs: " +
  'use Chrome or Edge 91+, Firefox 89+ or Safari 16.4+';
