/**
 * Batch verification (core.bls.verifyBatch): n = 1, 8, 64 valid triples
 * pass; one bad signature anywhere, two bad ones and a swapped message are
 * each detected and named; invalid points and infinity keys throw; and on
 * random mixes of good and bad triples the result equals individual
 * verification.
 * @module
 */
import fc from 'fast-check';
import type { BlsBatchItem, CoreLike } from '../../src/core/types.ts';
import { assert, rejectsWith } from './lib/assert.ts';
import { ascii, G1, G2, g1OffSubgroup, g1Raw, scalarBytes } from './lib/noble.ts';

/** A triple whose key is bytes (handles do not cross the worker boundary these cases also run over). */
type Item = BlsBatchItem & { readonly publicKey: Uint8Array };

/** n valid triples, keys from secret keys 1000 + i, messages "message i". */
async function validItems(core: CoreLike, n: number): Promise<Item[]> {
  const items: Item[] = [];
  for (let i = 0; i < n; i++) {
    const sk = scalarBytes(1000n + BigInt(i));
    const message = ascii(`message ${i}`);
    items.push({ publicKey: await core.bls.skToPk(sk), message, signature: await core.bls.sign(sk, message) });
  }
  return items;
}

/** The same triple with a signature by another key. */
async function forged(core: CoreLike, item: Item, seed: number): Promise<Item> {
  return { ...item, signature: await core.bls.sign(scalarBytes(99_999n + BigInt(seed)), item.message) };
}

function sameList(got: readonly number[], want: readonly number[], what: string): void {
  assert(got.length === want.length && got.every((v, i) => v === want[i]), `${what}: failed ${got}, want ${want}`);
}

export const batchVerify = {
  'n = 1, 8 and 64 valid triples pass': async (core: CoreLike) => {
    for (const n of [1, 8, 64]) {
      const r = await core.bls.verifyBatch(await validItems(core, n));
      assert(r.ok, `n = ${n}: ok`);
      sameList(r.failed, [], `n = ${n}`);
    }
  },

  'one bad signature anywhere is detected and named': async (core: CoreLike) => {
    const items = await validItems(core, 64);
    for (const at of [0, 1, 31, 32, 63]) {
      const batch = items.slice();
      batch[at] = await forged(core, items[at]!, at);
      const r = await core.bls.verifyBatch(batch);
      assert(!r.ok, `bad at ${at}: not ok`);
      sameList(r.failed, [at], `bad at ${at}`);
    }
    const one = await core.bls.verifyBatch([await forged(core, items[0]!, 0)]);
    assert(!one.ok, 'n = 1, bad');
    sameList(one.failed, [0], 'n = 1');
  },

  'two bad signatures and a swapped message are named': async (core: CoreLike) => {
    const items = await validItems(core, 8);
    const batch = items.slice();
    batch[2] = await forged(core, items[2]!, 2);
    batch[7] = await forged(core, items[7]!, 7);
    sameList((await core.bls.verifyBatch(batch)).failed, [2, 7], 'two bad');
    const swapped = items.slice();
    swapped[3] = { ...items[3]!, message: items[4]!.message };
    swapped[4] = { ...items[4]!, message: items[3]!.message };
    sameList((await core.bls.verifyBatch(swapped)).failed, [3, 4], 'messages swapped between 3 and 4');
    // Two signatures swapped: each is valid alone for the other triple, neither for its own.
    const sigs = items.slice();
    sigs[5] = { ...items[5]!, signature: items[6]!.signature };
    sigs[6] = { ...items[6]!, signature: items[5]!.signature };
    sameList((await core.bls.verifyBatch(sigs)).failed, [5, 6], 'signatures swapped');
  },

  'invalid points, infinity keys, empty lists and empty DSTs are refused': async (core: CoreLike) => {
    const items = await validItems(core, 3);
    const off = g1OffSubgroup(5n);
    const cases: [string, BlsBatchItem[]][] = [
      ['InfinityError', [items[0]!, { ...items[1]!, publicKey: G1.ZERO.toBytes(true) }]],
      ['NotInSubgroupError', [{ ...items[0]!, publicKey: g1Raw(off.x, off.y, true) }]],
      ['BadLengthError', [{ ...items[0]!, signature: items[0]!.signature.subarray(1) }]],
      ['BadArgumentError', []],
    ];
    for (const [name, batch] of cases) await rejectsWith(name, () => core.bls.verifyBatch(batch), name);
    await rejectsWith('BadArgumentError', () => core.bls.verifyBatch(items, new Uint8Array(0)), 'empty DST');
    // The infinity signature is well formed: it never verifies, as in verify.
    const r = await core.bls.verifyBatch([items[0]!, { ...items[1]!, signature: G2.ZERO.toBytes(true) }]);
    sameList(r.failed, [1], 'infinity signature');
  },

  'equals individual verification on random mixes': async (core: CoreLike) => {
    const items = await validItems(core, 16);
    const bad = await Promise.all(items.map((item, i) => forged(core, item, i)));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(15), fc.boolean()), { minLength: 1, maxLength: 12 }), async (picks) => {
        const batch = picks.map(([i, good]) => (good ? items[i]! : bad[i]!));
        const want: number[] = [];
        for (const [k, item] of batch.entries()) {
          if (!(await core.bls.verify(item.publicKey, item.message, item.signature))) want.push(k);
        }
        const r = await core.bls.verifyBatch(batch);
        assert(r.ok === (want.length === 0), 'ok iff every triple verifies');
        sameList(r.failed, want, 'failed = individual failures');
      }),
      { numRuns: 8 },
    );
  },
};
