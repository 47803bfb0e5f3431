/**
 * Resharing without reconstructing the secret: t-of-n → t'-of-n' keeps the group key, every new share
 * verifies against the new commitments, shares of different epochs do not combine, and a dealer who
 * deals anything but its share, or a wrong subshare, is caught. Examples on both groups, then fast-check
 * properties over random committees.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { equalBytes } from '../../src/core/bytes.ts';
import { blsGroup } from '../../src/core/dkg/bls-group.ts';
import type { DkgGroup, Share } from '../../src/core/dkg/group.ts';
import { secp256k1Group } from '../../src/core/dkg/secp256k1-group.ts';
import { createCore } from '../../src/core/index.ts';
import { newCommitments, newShare } from '../../src/core/reshare/combine.ts';
import { checkDealing, dealReshare, type ReshareDealing } from '../../src/core/reshare/deal.ts';
import type { Core } from '../../src/core/types.ts';

let core: Core;
beforeAll(async () => {
  core = await createCore();
});

interface Committee {
  readonly t: number;
  readonly shares: Share[];
  readonly commitments: Uint8Array[];
}

/** A t-of-n committee of a fresh secret (as a DKG or a dealer leaves it). */
function committee(group: DkgGroup, t: number, n: number): Committee {
  return { t, ...group.deal(group.random(), t, n) };
}

/** The old holders `dealers` (1-based) reshare to a tNew-of-nNew committee; every new holder combines. */
function reshare(group: DkgGroup, old: Committee, dealers: readonly number[], tNew: number, nNew: number): Committee {
  const dealt = dealers.map((i) => dealReshare(group, old.shares[i - 1] as Share, old.commitments, tNew, nNew));
  const dealings = dealt.map((d) => d.dealing);
  const commitments = newCommitments(group, old, dealings, tNew);
  const shares = Array.from({ length: nNew }, (_, k) =>
    newShare(
      group,
      k + 1,
      dealings,
      dealt.map((d) => ({ index: d.dealing.index, value: (d.subshares[k] as Share).value })),
    ),
  );
  return { t: tNew, shares, commitments };
}

/** The new committee keeps the key, its shares verify, and any t of them (here: the first and last t) recover it. */
function expectSameKey(group: DkgGroup, old: Committee, next: Committee): void {
  expect(next.commitments[0]).toEqual(old.commitments[0]);
  for (const s of next.shares) expect(group.verifyShare(s, next.commitments)).toBe(true);
  const key = old.commitments[0] as Uint8Array;
  expect(group.publicKey(group.recover(next.shares.slice(0, next.t)))).toEqual(key);
  expect(group.publicKey(group.recover(next.shares.slice(-next.t)))).toEqual(key);
}

const groups: [string, (c: Core) => DkgGroup][] = [
  ['BLS12-381', (c) => blsGroup(c)],
  ['secp256k1', () => secp256k1Group()],
];

describe.each(groups)('resharing on %s', (_, makeGroup) => {
  let group: DkgGroup;
  beforeAll(() => {
    group = makeGroup(core);
  });

  it('3-of-5 → 3-of-5 with one node replaced (holders 1, 2, 4 deal; the new index 5 is the new node)', () => {
    const old = committee(group, 3, 5);
    const next = reshare(group, old, [1, 2, 4], 3, 5);
    expectSameKey(group, old, next);
    // The replaced node's old share (index 5) no longer combines with the new committee's shares.
    const mixed = [old.shares[4] as Share, ...next.shares.slice(0, 2)];
    expect(group.publicKey(group.recover(mixed))).not.toEqual(old.commitments[0]);
  });

  it('2-of-3 → 3-of-5', () => {
    const old = committee(group, 2, 3);
    const next = reshare(group, old, [2, 3], 3, 5);
    expectSameKey(group, old, next);
    expect(next.commitments).toHaveLength(3);
  });

  it('a proactive refresh of the same committee: new shares, same key; shares of two epochs do not combine', () => {
    const old = committee(group, 3, 5);
    const next = reshare(group, old, [1, 3, 5], 3, 5);
    expectSameKey(group, old, next);
    for (const [k, s] of next.shares.entries()) expect(equalBytes(s.value, (old.shares[k] as Share).value)).toBe(false);
    const key = old.commitments[0] as Uint8Array;
    const mixed = [old.shares[0], old.shares[1], next.shares[2]] as Share[];
    expect(group.publicKey(group.recover(mixed))).not.toEqual(key);
    // The old commitments do not vouch for new shares, nor the new for old ones.
    expect(group.verifyShare(next.shares[0] as Share, old.commitments)).toBe(false);
    expect(group.verifyShare(old.shares[0] as Share, next.commitments)).toBe(false);
  });

  it('refuses a dealer dealing something other than its share, a wrong subshare, too few dealers', () => {
    const old = committee(group, 3, 5);
    const codeOf = (f: () => unknown): string | undefined => {
      try {
        f();
        return undefined;
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(
      codeOf(() => dealReshare(group, { index: 1, value: (old.shares[1] as Share).value }, old.commitments, 3, 5)),
    ).toBe('bad_old_share');
    const other: ReshareDealing = { index: 1, commitments: group.deal(group.random(), 3, 5).commitments };
    expect(codeOf(() => checkDealing(group, other, old.commitments, 3))).toBe('bad_dealing');
    const dealt = [1, 2, 3].map((i) => dealReshare(group, old.shares[i - 1] as Share, old.commitments, 3, 5));
    const dealings = dealt.map((d) => d.dealing);
    expect(codeOf(() => checkDealing(group, dealings[0] as ReshareDealing, old.commitments, 2))).toBe('bad_dealing');
    expect(codeOf(() => newCommitments(group, old, dealings.slice(0, 2), 3))).toBe('too_few_dealers');
    expect(
      codeOf(() => newCommitments(group, old, [dealings[0], dealings[0], dealings[1]] as ReshareDealing[], 3)),
    ).toBe('too_few_dealers');
    const subshares = dealt.map((d) => ({ index: d.dealing.index, value: (d.subshares[0] as Share).value }));
    const wrong = subshares.map((s, k) => (k === 1 ? { ...s, value: group.random() } : s));
    expect(codeOf(() => newShare(group, 1, dealings, wrong))).toBe('bad_subshare');
    expect(codeOf(() => newShare(group, 1, dealings, subshares.slice(0, 2)))).toBe('too_few_dealers');
    expect(group.verifyShare(newShare(group, 1, dealings, subshares), newCommitments(group, old, dealings, 3))).toBe(
      true,
    );
  });
});

/** A committee change: old t-of-n, the dealers (a subset of at least t old holders), new t'-of-n'. */
const committeeChange = fc
  .record({ n: fc.integer({ min: 1, max: 7 }), nNew: fc.integer({ min: 1, max: 7 }) })
  .chain(({ n, nNew }) =>
    fc.record({
      n: fc.constant(n),
      nNew: fc.constant(nNew),
      t: fc.integer({ min: 1, max: n }),
      tNew: fc.integer({ min: 1, max: nNew }),
      order: fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => i + 1),
        { minLength: n, maxLength: n },
      ),
    }),
  )
  .chain((c) => fc.record({ change: fc.constant(c), dealers: fc.integer({ min: c.t, max: c.n }) }));

describe.each([
  ['secp256k1', () => secp256k1Group(), 40],
  ['BLS12-381', (c: Core) => blsGroup(c), 8],
] as const)('resharing properties on %s (fast-check)', (_, makeGroup, numRuns) => {
  it('any committee change by any t or more old holders keeps the key; the new shares verify and recover it', () => {
    const group = makeGroup(core);
    fc.assert(
      fc.property(committeeChange, ({ change, dealers }) => {
        const old = committee(group, change.t, change.n);
        const next = reshare(group, old, change.order.slice(0, dealers), change.tNew, change.nNew);
        expectSameKey(group, old, next);
        if (change.tNew > 1) {
          const tooFew = next.shares.slice(0, change.tNew - 1);
          expect(group.publicKey(group.recover(tooFew))).not.toEqual(old.commitments[0]);
        }
      }),
      { numRuns },
    );
  });
});
