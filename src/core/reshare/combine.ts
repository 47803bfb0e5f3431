/**
 * A new holder's side of resharing. With S the old holders who dealt (at least t, agreed by all new
 * holders) and λ_i their Lagrange coefficients at 0 over S:
 *   new share       x'_j = Σ_{i∈S} λ_i·g_i(j)   (Lagrange over {(i, g_i(j))}: the group's recover)
 *   new commitments C'_k = Σ_{i∈S} λ_i·G_i,k    (the same in the exponent: recoverPoints)
 * so x'_j lies on h = Σ λ_i·g_i, whose constant term Σ λ_i·x_i is the old secret: C'_0 = C_0, the
 * group key is kept, and shares of different epochs lie on different polynomials and do not combine.
 * @module
 */
import type { DkgGroup, Share } from '../dkg/group.ts';
import { checkDealing, type ReshareDealing } from './deal.ts';
import { ReshareError } from './errors.ts';

/** The old committee as the new holders know it. */
export interface OldGroup {
  readonly t: number;
  readonly commitments: readonly Uint8Array[];
}

/** The dealings in index order, checked: at least t distinct dealers, each dealing its own share. */
function checkedDealings(group: DkgGroup, old: OldGroup, dealings: readonly ReshareDealing[], tNew: number) {
  const sorted = [...dealings].sort((a, b) => a.index - b.index);
  const distinct = sorted.every((d, k) => k === 0 || d.index !== (sorted[k - 1] as ReshareDealing).index);
  if (!distinct || sorted.length < old.t) {
    throw new ReshareError('too_few_dealers', `reshare: ${sorted.length} distinct dealers, ${old.t} needed`);
  }
  for (const d of sorted) checkDealing(group, d, old.commitments, tNew);
  return sorted;
}

/** C'_k = Σ_{i∈S} λ_i·G_i,k, k = 0..t'−1; checks C'_0 = C_0. */
export function newCommitments(
  group: DkgGroup,
  old: OldGroup,
  dealings: readonly ReshareDealing[],
  tNew: number,
): Uint8Array[] {
  const sorted = checkedDealings(group, old, dealings, tNew);
  const commitments = Array.from({ length: tNew }, (_, k) =>
    group.recoverPoints(sorted.map((d) => ({ index: d.index, value: d.commitments[k] as Uint8Array }))),
  );
  const kept = commitments[0] as Uint8Array;
  const before = old.commitments[0] as Uint8Array;
  if (kept.length !== before.length || kept.some((b, i) => b !== before[i])) {
    throw new ReshareError('group_key_changed', 'reshare: the new commitments do not keep the group key');
  }
  return commitments;
}

/**
 * New holder j's share from the subshares g_i(j) it received (Share.index = the dealer i), each checked
 * against its dealer's commitments; the dealers must be those of `dealings` (the same S for everyone).
 */
export function newShare(
  group: DkgGroup,
  j: number,
  dealings: readonly ReshareDealing[],
  subshares: readonly Share[],
): Share {
  const byDealer = new Map(subshares.map((s) => [s.index, s.value]));
  if (byDealer.size !== subshares.length || byDealer.size !== dealings.length) {
    throw new ReshareError('too_few_dealers', `reshare: holder ${j} needs one subshare from each of the dealers`);
  }
  const points = dealings.map((d) => {
    const value = byDealer.get(d.index);
    if (!value || !group.isScalar(value) || !group.verifyShare({ index: j, value }, d.commitments)) {
      throw new ReshareError('bad_subshare', `reshare: dealer ${d.index}'s subshare for holder ${j} does not verify`);
    }
    return { index: d.index, value };
  });
  return { index: j, value: group.recover(points) };
}
