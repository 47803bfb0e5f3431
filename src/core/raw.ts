/**
 * Handle-level access for benchmarks: opaque G1, G2 and GT values kept in
 * pinned wasm memory, sized by dta_p1_sizeof / dta_p2_sizeof /
 * dta_gt_sizeof, so a benchmark measures the arithmetic and not the
 * encodings. Freed blocks go to a free list per size and are zeroed.
 * @module
 */

import { bytesArg, bytesArgOneOf, type Context, callOut } from './context.ts';
import { BadArgumentError, check } from './errors.ts';
import type { RawApi } from './types.ts';

export function makeRaw(ctx: Context): RawApi {
  const e = ctx.e;
  const s = ctx.sizes;
  const live = new Map<number, number>(); // handle -> size
  const free = new Map<number, number[]>(); // size -> handles

  const alloc = (size: number): number => {
    const handle = free.get(size)?.pop() ?? ctx.arena.pin(size);
    live.set(handle, size);
    return handle;
  };
  const handle = (where: string, h: unknown, size: number): number => {
    if (typeof h !== 'number' || live.get(h) !== size) {
      throw new BadArgumentError(`raw.${where}: not a live handle of ${size} bytes`);
    }
    return h;
  };
  const scalar = (where: string, v: unknown) => bytesArg(`raw.${where}`, 'scalar', v, s.scalar);
  /** out = k * p through one of the multiplier exports (handles of `size` bytes). */
  const mult = (
    where: string,
    size: number,
    fn: (o: number, p: number, k: number) => number,
    out: number,
    p: number,
    sc: Uint8Array,
  ): void => {
    const [o, pp, k] = [handle(where, out, size), handle(where, p, size), scalar(where, sc)];
    ctx.arena.run((a) => check(fn(o, pp, a.put(k)), `raw.${where}`));
  };

  return Object.freeze({
    allocP1: () => alloc(s.p1Handle),
    allocP2: () => alloc(s.p2Handle),
    allocGt: () => alloc(s.gtHandle),
    free(h: number): void {
      const size = live.get(h);
      if (size === undefined) throw new BadArgumentError('raw.free: not a live handle');
      live.delete(h);
      ctx.arena.clearPinned(h, size);
      free.set(size, [...(free.get(size) ?? []), h]);
    },
    p1FromBytes(h: number, point: Uint8Array): void {
      const p = bytesArgOneOf('raw.p1FromBytes', 'point', point, [s.g1Compressed, s.g1Uncompressed]);
      const hh = handle('p1FromBytes', h, s.p1Handle);
      ctx.arena.run((a) => check(e.dta_p1_from_bytes(hh, a.put(p), p.length), 'raw.p1FromBytes'));
    },
    p1ToBytes: (h: number) =>
      callOut(ctx, 'raw.p1ToBytes', s.g1Uncompressed, (out) =>
        e.dta_p1_to_bytes(out, handle('p1ToBytes', h, s.p1Handle)),
      ),
    p1Mult: (out: number, p: number, sc: Uint8Array) => mult('p1Mult', s.p1Handle, e.dta_p1_mult, out, p, sc),
    p1MultPublic: (out: number, p: number, sc: Uint8Array) =>
      mult('p1MultPublic', s.p1Handle, e.dta_p1_mult_public, out, p, sc),
    p2FromBytes(h: number, point: Uint8Array): void {
      const p = bytesArgOneOf('raw.p2FromBytes', 'point', point, [s.g2Compressed, s.g2Uncompressed]);
      const hh = handle('p2FromBytes', h, s.p2Handle);
      ctx.arena.run((a) => check(e.dta_p2_from_bytes(hh, a.put(p), p.length), 'raw.p2FromBytes'));
    },
    p2ToBytes: (h: number) =>
      callOut(ctx, 'raw.p2ToBytes', s.g2Uncompressed, (out) =>
        e.dta_p2_to_bytes(out, handle('p2ToBytes', h, s.p2Handle)),
      ),
    p2Mult: (out: number, p: number, sc: Uint8Array) => mult('p2Mult', s.p2Handle, e.dta_p2_mult, out, p, sc),
    p2MultPublic: (out: number, p: number, sc: Uint8Array) =>
      mult('p2MultPublic', s.p2Handle, e.dta_p2_mult_public, out, p, sc),
    gtPairing(out: number, p1: number, p2: number): void {
      const o = handle('gtPairing', out, s.gtHandle);
      check(
        e.dta_gt_pairing(o, handle('gtPairing', p1, s.p1Handle), handle('gtPairing', p2, s.p2Handle)),
        'raw.gtPairing',
      );
    },
    gtToBytes: (h: number) =>
      callOut(ctx, 'raw.gtToBytes', s.gt, (out) => e.dta_gt_to_bytes(out, handle('gtToBytes', h, s.gtHandle))),
  });
}
