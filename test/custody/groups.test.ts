/**
 * The two DKG groups at their boundary: what is a scalar (length, below the order), what is a list of
 * commitments (length, on the curve, C_0 not the identity), proofs of possession bound to their message,
 * shares bound to their index, and that both groups agree with the curve libraries they stand on.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { numberToBytesBE } from '@noble/curves/utils.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { DkgGroup } from '../../src/core/dkg/group.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import { createCore } from '../../src/core/index.ts';
import type { Core } from '../../src/core/types.ts';

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

const cases: [string, (c: Core) => DkgGroup, bigint, (s: Uint8Array) => Uint8Array][] = [
  [
    'BLS12-381',
    (c) => blsGroup(c),
    bls12_381.fields.Fr.ORDER,
    (s) => bls12_381.G1.Point.BASE.multiply(BigInt(`0x${Buffer.from(s).toString('hex')}`)).toBytes(true),
  ],
  ['secp256k1', () => secp256k1Group(), secp256k1.Point.Fn.ORDER, (s) => secp256k1.getPublicKey(s, true)],
];

describe.each(cases)('the %s group', (_, makeGroup, order, nobleKey) => {
  let group: DkgGroup;
  beforeAll(() => {
    group = makeGroup(core);
  });

  it('takes 32-byte scalars below the order, and nothing else', () => {
    expect(group.isScalar(numberToBytesBE(order - 1n, 32))).toBe(true);
    expect(group.isScalar(numberToBytesBE(order, 32))).toBe(false);
    expect(group.isScalar(numberToBytesBE(order + 1n, 32))).toBe(false);
    expect(group.isScalar(new Uint8Array(32).fill(0xff))).toBe(false);
    expect(group.isScalar(new Uint8Array(31))).toBe(false);
    const r = group.random();
    expect(group.isScalar(r) && r.some((b) => b !== 0)).toBe(true);
  });

  it('computes public keys as the curve library does', () => {
    const s = group.random();
    expect(group.publicKey(s)).toEqual(nobleKey(s));
  });

  it('refuses commitments of the wrong length, off the curve, or a first one at the identity', () => {
    const { commitments } = group.deal(group.random(), 3, 5);
    expect(group.areCommitments(commitments)).toBe(true);
    expect(group.areCommitments([])).toBe(false);
    expect(group.areCommitments([commitments[0]!.subarray(1), ...commitments.slice(1)])).toBe(false);
    // About half of all x have no point: among 64 one-bit changes of x, some are off the curve (all but 2^-64).
    const changed = Array.from({ length: 64 }, (_, bit) => {
      const p = Uint8Array.from(commitments[1]!);
      p[p.length - 1 - (bit >> 3)]! ^= 1 << (bit & 7);
      return p;
    });
    const found = changed.some((p) => !group.areCommitments([commitments[0]!, p]));
    expect(found).toBe(true);
    if (group.name === 'bls12-381') {
      const infinity = new Uint8Array(48);
      infinity[0] = 0xc0;
      expect(group.areCommitments([infinity, commitments[1]!])).toBe(false);
      expect(group.areCommitments([commitments[0]!, infinity])).toBe(true); // a zero coefficient is allowed
    }
  });

  it('binds a share to its index and to its commitments', () => {
    const { shares, commitments } = group.deal(group.random(), 3, 5);
    const other = group.deal(group.random(), 3, 5).commitments;
    for (const s of shares) {
      expect(group.verifyShare(s, commitments)).toBe(true);
      expect(group.verifyShare({ ...s, index: (s.index % 5) + 1 }, commitments)).toBe(false);
      expect(group.verifyShare(s, other)).toBe(false);
      expect(group.publicShare(s.index, commitments)).toEqual(group.publicKey(s.value));
    }
    expect(() => group.recover([shares[0]!, shares[0]!, shares[1]!])).toThrow();
  });

  it('binds a proof of possession to its key and message; a malformed proof is false, not an exception', () => {
    const s = group.random();
    const pk = group.publicKey(s);
    const proof = group.provePossession(s, utf8('session A, node 1'));
    expect(group.verifyPossession(pk, utf8('session A, node 1'), proof)).toBe(true);
    expect(group.verifyPossession(pk, utf8('session B, node 1'), proof)).toBe(false);
    expect(group.verifyPossession(group.publicKey(group.random()), utf8('session A, node 1'), proof)).toBe(false);
    expect(group.verifyPossession(pk, utf8('session A, node 1'), proof.subarray(1))).toBe(false);
    expect(group.verifyPossession(pk, utf8('session A, node 1'), new Uint8Array(proof.length))).toBe(false);
  });
});
