/**
 * Validated public-key handles (core.bls.publicKey): validated once, equal
 * to byte keys in fastAggregateVerify, refused when invalid, and not
 * forgeable (the constructor is guarded, the internal form private).
 * In-process only, so these run in Node rather than through the worker.
 */
import { bls12_381 as bls } from '@noble/curves/bls12-381.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlsPublicKey } from '../../src/core/bls-batch.ts';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

const sk = (i: number) => {
  const b = new Uint8Array(32);
  b[31] = i + 1;
  b[30] = 7;
  return b;
};
const msg = new TextEncoder().encode('one message for all');
const named = (name: string) => expect.objectContaining({ name });

describe('core.bls.publicKey', () => {
  it('gives handles that verify like the bytes, for 1 and 100 keys', () => {
    for (const n of [1, 100]) {
      const sks = Array.from({ length: n }, (_, i) => sk(i));
      const pks = sks.map((k) => core.bls.skToPk(k));
      const sig = core.bls.aggregate(sks.map((k) => core.bls.sign(k, msg)));
      const handles = pks.map((p) => core.bls.publicKey(p));
      expect(handles.map((h) => h.bytes)).toEqual(pks);
      expect(core.bls.fastAggregateVerify(handles, msg, sig)).toBe(true);
      expect(core.bls.fastAggregateVerify(pks, msg, sig)).toBe(true);
      const other = new TextEncoder().encode('another');
      expect(core.bls.fastAggregateVerify(handles, other, sig)).toBe(false);
      if (n > 1) expect(core.bls.fastAggregateVerify(handles.slice(1), msg, sig)).toBe(false);
    }
  });

  it('work in verifyBatch: the same verdicts as byte keys, failures named', () => {
    const sks = Array.from({ length: 8 }, (_, i) => sk(i));
    const items = sks.map((k, i) => {
      const message = new TextEncoder().encode(`m${i}`);
      return { publicKey: core.bls.skToPk(k), message, signature: core.bls.sign(k, message) };
    });
    const handles = items.map((it) => ({ ...it, publicKey: core.bls.publicKey(it.publicKey) }));
    expect(core.bls.verifyBatch(handles)).toEqual({ ok: true, failed: [] });
    handles[5] = { ...handles[5]!, signature: items[4]!.signature };
    expect(core.bls.verifyBatch(handles)).toEqual({ ok: false, failed: [5] });
    const mixed = [items[0]!, handles[1]!];
    expect(() => core.bls.verifyBatch(mixed)).toThrow(named('BadArgumentError'));
  });

  it('refuses invalid keys once, at publicKey', () => {
    expect(() => core.bls.publicKey(bls.G1.Point.ZERO.toBytes(true))).toThrow(named('InfinityError'));
    expect(() => core.bls.publicKey(new Uint8Array(48))).toThrow(named('BadEncodingError'));
    expect(() => core.bls.publicKey(new Uint8Array(47))).toThrow(named('BadLengthError'));
  });

  it('refuses handles summing to infinity (pk, -pk) and mixed lists', () => {
    const p = bls.G1.Point.BASE.multiply(31337n);
    const keys = [core.bls.publicKey(p.toBytes(true)), core.bls.publicKey(p.negate().toBytes(true))];
    const inf = bls.G2.Point.ZERO.toBytes(true);
    expect(() => core.bls.fastAggregateVerify(keys, msg, inf)).toThrow(named('InfinityError'));
    const mixed = [keys[0], p.toBytes(true)] as unknown as Uint8Array[];
    expect(() => core.bls.fastAggregateVerify(mixed, msg, inf)).toThrow(named('BadArgumentError'));
  });

  it('cannot be forged: no public constructor, no readable internal form', () => {
    const h = core.bls.publicKey(core.bls.skToPk(sk(1)));
    const Ctor = BlsPublicKey as unknown as new (...a: unknown[]) => BlsPublicKey;
    expect(() => new Ctor(Symbol('BlsPublicKey'), new Uint8Array(96), new Uint8Array(48))).toThrow(
      named('BadArgumentError'),
    );
    expect(Object.keys(h)).toEqual([]);
    expect(JSON.stringify(h)).toBe('{}');
    const fake = Object.create(BlsPublicKey.prototype) as BlsPublicKey;
    expect(() => core.bls.fastAggregateVerify([fake], msg, new Uint8Array(96))).toThrow();
  });
});
