/**
 * The parts of core.kem the shared cases cannot reach through a worker:
 * incremental SHAKE (a stream object lives on the caller's side), the
 * sizes read from the module, and the C boundary's refusal of a corrupted
 * SHAKE state.
 */
import { shake128, shake256 } from '@noble/hashes/sha3.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCore, ErrorCode, loadCoreModule } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

describe('core.kem', () => {
  it('sizes come from the module', () => {
    expect(core.kem.sizes).toMatchObject({
      x25519: 32,
      mlkemEncapsulationKey: 1184,
      mlkemDecapsulationKey: 2400,
      mlkemCiphertext: 1088,
      xwingSeed: 32,
      xwingPublicKey: 1216,
      xwingCiphertext: 1120,
      xwingEseed: 64,
      sharedSecret: 32,
    });
    expect(core.kem.sizes.shakeState).toBeGreaterThanOrEqual(200);
  });

  it('SHAKE streams absorbed and squeezed in random pieces equal one-shot noble', () => {
    const pieces = fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 });
    const lengths = fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(pieces, lengths, fc.boolean(), (input, outs, wide) => {
        const stream = wide ? core.kem.shake256Stream() : core.kem.shake128Stream();
        for (const p of input) stream.absorb(p);
        const got = outs.map((n) => stream.squeeze(n));
        const all = new Uint8Array(input.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of input) {
          all.set(p, at);
          at += p.length;
        }
        const total = outs.reduce((a, b) => a + b, 0);
        const want = (wide ? shake256 : shake128)(all, { dkLen: total });
        expect(Buffer.concat(got).toString('hex')).toBe(Buffer.from(want).toString('hex'));
      }),
      { numRuns: 40 },
    );
  });

  it('absorbing after squeezing is a BadArgumentError', () => {
    const stream = core.kem.shake128Stream();
    stream.absorb(new Uint8Array([1, 2, 3]));
    stream.squeeze(10);
    expect(() => stream.absorb(new Uint8Array([4]))).toThrow(expect.objectContaining({ name: 'BadArgumentError' }));
  });

  it('the C boundary refuses a SHAKE state whose rate or position is not its own (past the lanes)', async () => {
    const { exports: e } = await loadCoreModule();
    const size = e.dta_shake_state_bytes();
    const state = e.__heap_base.value as number,
      buf = state + size;
    expect(e.dta_shake128_init(state)).toBe(ErrorCode.OK);
    const view = new DataView(e.memory.buffer);
    const pos = state + 200,
      rate = state + 204; // after the 25 lanes: pos, rate, squeezing
    expect(view.getUint32(rate, true)).toBe(168);
    expect(e.dta_shake_absorb(state, buf, 1)).toBe(ErrorCode.OK);
    view.setUint32(pos, 4096, true);
    expect(e.dta_shake_absorb(state, buf, 1)).toBe(ErrorCode.BAD_ARGUMENT);
    expect(e.dta_shake_squeeze(state, buf, 8)).toBe(ErrorCode.BAD_ARGUMENT);
    view.setUint32(pos, 0, true);
    view.setUint32(rate, 0, true);
    expect(e.dta_shake_absorb(state, buf, 1)).toBe(ErrorCode.BAD_ARGUMENT);
    view.setUint32(rate, 136, true);
    expect(e.dta_shake_absorb(state, buf, 1)).toBe(ErrorCode.OK);
  });
});
