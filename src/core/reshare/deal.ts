/**
 * An old holder's side of resharing (docs/protocol.md#resharing): holder i deals its share x_i with a
 * fresh polynomial g_i of degree t'−1 (g_i(0) = x_i) to the new committee, publishing G_i,k = g_i,k·G.
 * Anyone checks the dealing against the old commitments: G_i,0 must be X_i = Σ_j C_j·i^j, the public
 * share the old group committed to, so a holder cannot deal anything but its share. The secret is never
 * reconstructed.
 * @module
 */
import type { DkgGroup, Share } from '../dkg/group.ts';
import { ReshareError } from './errors.ts';

/** What old holder `index` publishes: the commitments to g_i. */
export interface ReshareDealing {
  readonly index: number;
  readonly commitments: Uint8Array[];
}

/** Holder `oldShare.index` deals its share t'-of-n': g_i(j) for j = 1..n' (secret, one per new holder). */
export function dealReshare(
  group: DkgGroup,
  oldShare: Share,
  oldCommitments: readonly Uint8Array[],
  tNew: number,
  nNew: number,
): { dealing: ReshareDealing; subshares: Share[] } {
  if (!group.areCommitments(oldCommitments) || !group.verifyShare(oldShare, oldCommitments)) {
    throw new ReshareError('bad_old_share', `reshare: holder ${oldShare.index}'s share does not verify`);
  }
  const { shares, commitments } = group.deal(oldShare.value, tNew, nNew);
  return { dealing: { index: oldShare.index, commitments }, subshares: shares };
}

/** Throws ReshareError('bad_dealing') unless `dealing` commits to a t'-term polynomial through X_i. */
export function checkDealing(
  group: DkgGroup,
  dealing: ReshareDealing,
  oldCommitments: readonly Uint8Array[],
  tNew: number,
): void {
  const { index, commitments } = dealing;
  const wellFormed =
    commitments.length === tNew &&
    commitments.every((c) => c.length === group.pointBytes) &&
    group.areCommitments(commitments);
  if (!wellFormed)
    throw new ReshareError('bad_dealing', `reshare: dealer ${index}'s commitments are not ${tNew} points`);
  const expected = group.publicShare(index, oldCommitments);
  const given = commitments[0] as Uint8Array;
  if (expected.length !== given.length || expected.some((b, i) => b !== given[i])) {
    throw new ReshareError(
      'bad_dealing',
      `reshare: dealer ${index} does not deal its share (G_${index},0 ≠ X_${index})`,
    );
  }
}
