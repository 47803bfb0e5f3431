// An X-Wing seed kept expanded (xwing-expanded.ts, keepExpanded in xwing.ts) decapsulates exactly as the seed does:
// the same shared secrets as noble's and the core's draft decapsulation, for honest ciphertexts and for garbage
// (ML-KEM's implicit rejection), the same refusal of a low-order X25519 point; and once forgotten it is wiped.
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from '../../src/core/bytes.ts';
import { forgetExpanded, keepExpanded, xwing } from '../../src/core/crypto/xwing.ts';
import { expandXWingKey } from '../../src/core/crypto/xwing-expanded.ts';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';

let core: Core;

beforeAll(async () => {
  core = await createCore();
});

/** Ciphertexts for `publicKey`: honest ones, and random bytes of the right length. */
function ciphertexts(publicKey: Uint8Array): Uint8Array[] {
  const honest = Array.from({ length: 4 }, () => xwing.encap(publicKey).enc);
  const garbage = Array.from({ length: 3 }, () => randomBytes(xwing.encBytes));
  return [...honest, ...garbage];
}

describe('X-Wing key kept expanded', () => {
  it('decapsulates as the seed does, honest ciphertexts and garbage alike', () => {
    const seed = randomBytes(32);
    const { publicKey } = xwing.keygen(seed);
    const encs = ciphertexts(publicKey);
    const bySeed = encs.map((enc) => core.kem.xwing.decaps(enc, seed));
    keepExpanded(seed);
    try {
      expect(encs.map((enc) => xwing.decap(enc, seed))).toEqual(bySeed);
      expect(encs.map((enc) => ml_kem768_x25519.decapsulate(enc, seed))).toEqual(bySeed);
    } finally {
      forgetExpanded(seed);
    }
    expect(encs.map((enc) => xwing.decap(enc, seed))).toEqual(bySeed); // forgotten: expanded per call again
  });

  it('refuses a low-order X25519 point as the core does', () => {
    const seed = randomBytes(32);
    const enc = xwing.encap(xwing.keygen(seed).publicKey).enc;
    enc.fill(0, enc.length - 32); // ct_X = 0, a low-order point: X25519 gives all zeros
    expect(() => core.kem.xwing.decaps(enc, seed)).toThrow();
    keepExpanded(seed);
    try {
      expect(() => xwing.decap(enc, seed)).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }));
    } finally {
      forgetExpanded(seed);
    }
  });

  it('keeps a seed by its very array: an equal copy is expanded per call', () => {
    const seed = randomBytes(32);
    const enc = xwing.encap(xwing.keygen(seed).publicKey).enc;
    keepExpanded(seed);
    try {
      expect(xwing.decap(enc, seed.slice())).toEqual(xwing.decap(enc, seed));
    } finally {
      forgetExpanded(seed);
    }
  });

  it('refuses to decapsulate once wiped', () => {
    const seed = randomBytes(32);
    const enc = xwing.encap(xwing.keygen(seed).publicKey).enc;
    const key = expandXWingKey(core.kem, seed);
    expect(key.decaps(enc)).toEqual(core.kem.xwing.decaps(enc, seed));
    key.wipe();
    expect(() => key.decaps(enc)).toThrow(/wiped/);
  });
});
