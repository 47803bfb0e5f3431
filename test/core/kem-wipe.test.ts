/**
 * The KEM zeroes its own secrets in C: with the bindings' stack wipe
 * switched off, an X-Wing decapsulation and an ML-KEM decapsulation leave
 * in wasm memory neither the seed's expansion (ML-KEM's d and z, the
 * X25519 scalar), nor the decapsulation key's secret vector, nor the
 * shared secrets' inputs (m, K || r).
 */
import { sha3_512, shake256 } from '@noble/hashes/sha3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore, loadCoreModule } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';
import type { CoreExports } from '../../src/core/wasm/exports.ts';

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe('the KEM wipes its secrets in C', () => {
  let exports: CoreExports;
  let core: Core;
  let wipeStack: () => void;
  const memory = () => new Uint8Array(exports.memory.buffer);

  beforeAll(async () => {
    const loaded = await loadCoreModule();
    wipeStack = loaded.exports.dta_wipe_stack;
    exports = { ...loaded.exports, dta_wipe_stack: () => {} } as CoreExports;
    core = await createCore({ module: { instance: loaded.instance, exports } });
  });

  it('X-Wing decaps leaves no part of the expanded seed', () => {
    const seed = new Uint8Array(32).map((_, i) => i * 7 + 1);
    const pk = core.kem.xwing.keygen(seed);
    const { enc } = core.kem.xwing.encaps(pk, new Uint8Array(64).fill(5));
    wipeStack();
    core.kem.xwing.decaps(enc, seed);
    const expanded = shake256(seed, { dkLen: 96 });
    for (const [what, at] of [
      ['d', 0],
      ['z', 32],
      ['X25519 scalar', 64],
    ] as const) {
      expect(contains(memory(), expanded.subarray(at, at + 16)), what).toBe(false);
    }
    expect(contains(memory(), seed.subarray(0, 16)), 'seed').toBe(false);
  });

  it('ML-KEM decaps leaves neither the secret vector s nor m nor K || r', () => {
    const d = new Uint8Array(32).fill(0x3c),
      z = new Uint8Array(32).fill(0x5a),
      m = new Uint8Array(32).fill(0x77);
    const { encapsulationKey: ek, decapsulationKey: dk } = core.kem.mlkem768.keygen(d, z);
    const { ciphertext } = core.kem.mlkem768.encaps(ek, m);
    wipeStack();
    core.kem.mlkem768.decaps(ciphertext, dk);
    expect(contains(memory(), dk.subarray(0, 24)), 's (encoded)').toBe(false);
    expect(contains(memory(), m.subarray(0, 16)), 'm').toBe(false);
    const h = dk.subarray(1152 + 1184, 1152 + 1184 + 32);
    const kr = sha3_512(new Uint8Array([...m, ...h]));
    expect(contains(memory(), kr.subarray(0, 16)), 'K').toBe(false);
    expect(contains(memory(), kr.subarray(32, 48)), 'r').toBe(false);
  });
});
