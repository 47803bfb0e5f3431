/**
 * Long messages do not grow wasm memory (issue 10): memory can grow but
 * never shrink, so a 64 MiB message copied in whole would leave 64 MiB
 * behind for the module's lifetime. sign and verify stream messages above
 * 64 KiB through the core in chunks; memory stays under initial + 256 KiB
 * and the signature equals noble's. This test failed before the change
 * (memory grew past 64 MiB).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { describe, expect, it } from 'vitest';
import { createCore, loadCoreModule } from '../../src/core/index.ts';

const BOUND = 256 * 1024;

describe('long messages', () => {
  it('sign and verify a 64 MiB message without growing wasm memory, equal to noble', async () => {
    const { instance, exports } = await loadCoreModule();
    const core = await createCore({ module: { instance, exports } });
    const sk = core.bls.keygen(new Uint8Array(32).fill(5));
    const pk = core.bls.skToPk(sk);
    core.bls.verify(pk, new Uint8Array(10), core.bls.sign(sk, new Uint8Array(10))); // warm up
    const before = exports.memory.buffer.byteLength;
    const msg = new Uint8Array(64 << 20);
    for (let i = 0; i < msg.length; i += 4096) msg[i] = (i >>> 12) & 0xff;
    const sig = core.bls.sign(sk, msg);
    expect(core.bls.verify(pk, msg, sig)).toBe(true);
    msg[12345]! ^= 1;
    expect(core.bls.verify(pk, msg, sig)).toBe(false);
    msg[12345]! ^= 1;
    expect(exports.memory.buffer.byteLength - before).toBeLessThanOrEqual(BOUND);
    const long = bls12_381.longSignatures;
    const want = long.Signature.toBytes(long.sign(long.hash(msg, core.bls.dst), sk));
    expect(sig).toEqual(want);
  }, 120_000);

  it('gives the same signatures as the whole-message path at the chunk boundaries', async () => {
    const core = await createCore();
    const sk = core.bls.keygen(new Uint8Array(32).fill(6));
    const long = bls12_381.longSignatures;
    for (const n of [65535, 65536, 65537, 3 * 65536 + 7]) {
      const msg = new Uint8Array(n).map((_, i) => i * 7);
      const want = long.Signature.toBytes(long.sign(long.hash(msg, core.bls.dst), sk));
      expect(core.bls.sign(sk, msg)).toEqual(want);
      expect(core.bls.verify(core.bls.skToPk(sk), msg, want)).toBe(true);
    }
  }, 60_000);
});
