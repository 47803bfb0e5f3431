// X-Wing's backend: noble until a core exists in this thread, the core's KEM from createCore() on, and the two
// interoperate (what one seals the other opens), so a page that seals with noble talks to a worker or node that
// opens with the core. This file creates its core itself, after the first checks: nothing may import one before.
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../src/core/bytes.ts';
import { kemBackendName, xwing } from '../../src/core/crypto/xwing.ts';
import { createCore } from '../../src/core/index.ts';

describe('X-Wing backends', () => {
  it('runs on noble before any core exists, on the core after createCore, and both agree', async () => {
    expect(kemBackendName()).toBe('noble');
    const seed = randomBytes(32);
    const eseed = randomBytes(64);
    const { publicKey } = xwing.keygen(seed);
    const sealedByNoble = xwing.encap(publicKey, eseed);

    const core = await createCore();
    expect(kemBackendName()).toBe('core');
    expect(xwing.keygen(seed).publicKey).toEqual(publicKey);
    expect(xwing.decap(sealedByNoble.enc, seed)).toEqual(sealedByNoble.sharedSecret);
    const sealedByCore = xwing.encap(publicKey, eseed);
    expect(sealedByCore).toEqual(sealedByNoble);
    // and the core's answer is noble's for a fresh key
    const other = randomBytes(32);
    expect(core.kem.xwing.keygen(other)).toEqual(ml_kem768_x25519.keygen(other).publicKey);
  });

  it('refuses a key either backend refuses with the same error', () => {
    const badKey = new Uint8Array(1216).fill(0xff); // ML-KEM coefficients above q: FIPS 203's modulus check fails
    expect(() => xwing.encap(badKey)).toThrow(expect.objectContaining({ name: 'InvalidKeyError' }));
  });
});
