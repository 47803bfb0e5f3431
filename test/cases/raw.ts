/**
 * The handle-level API of the benchmark: handles round-trip points, and
 * multiplying or pairing handles gives what the byte API gives.
 * @module
 */
import type { CoreLike } from '../../src/core/types.ts';
import { assertBytes, rejectsWith } from './lib/assert.ts';
import { scalarBytes } from './lib/noble.ts';

export const raw = {
  'handles compute what the byte API computes': async (core: CoreLike) => {
    const k = scalarBytes(0x1234567890abcdefn);
    const [g1, g2] = [await core.g1.generator(), await core.g2.generator()];
    const [p, q, out1, out2, gt] = [
      await core.raw.allocP1(),
      await core.raw.allocP2(),
      await core.raw.allocP1(),
      await core.raw.allocP2(),
      await core.raw.allocGt(),
    ];
    try {
      await core.raw.p1FromBytes(p, await core.g1.compress(g1));
      await core.raw.p2FromBytes(q, g2);
      assertBytes(await core.raw.p1ToBytes(p), g1, 'p1 round trip');
      assertBytes(await core.raw.p2ToBytes(q), g2, 'p2 round trip');
      await core.raw.p1Mult(out1, p, k);
      await core.raw.p2Mult(out2, q, k);
      assertBytes(await core.raw.p1ToBytes(out1), await core.g1.mult(g1, k), 'p1Mult');
      assertBytes(await core.raw.p2ToBytes(out2), await core.g2.mult(g2, k), 'p2Mult');
      await core.raw.p1MultPublic(out1, p, k);
      await core.raw.p2MultPublic(out2, q, k);
      assertBytes(await core.raw.p1ToBytes(out1), await core.g1.multPublic(g1, k), 'p1MultPublic');
      assertBytes(await core.raw.p2ToBytes(out2), await core.g2.multPublic(g2, k), 'p2MultPublic');
      await core.raw.gtPairing(gt, out1, q);
      assertBytes(await core.raw.gtToBytes(gt), await core.pairing.pair(await core.g1.mult(g1, k), g2), 'gtPairing');
      await rejectsWith('BadArgumentError', () => core.raw.p1Mult(q, p, k), 'a G2 handle where a G1 handle goes');
      await rejectsWith(
        'NotOnCurveError',
        () =>
          core.raw.p1FromBytes(
            p,
            g1.map((v, i) => (i === 95 ? v ^ 1 : v)),
          ),
        'p1FromBytes off curve',
      );
    } finally {
      for (const h of [p, q, out1, out2, gt]) await core.raw.free(h);
    }
    await rejectsWith('BadArgumentError', () => core.raw.p1ToBytes(p), 'a freed handle');
  },
};
