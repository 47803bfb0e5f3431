/**
 * How a resharing step fails, with stable codes (messages name indices, never a secret).
 * @module
 */

export type ReshareErrorCode =
  | 'bad_old_share' // an old holder's share does not verify against the old commitments: it must not deal
  | 'bad_dealing' // a dealing's commitments are not t' points, or G_i,0 is not the dealer's public share X_i
  | 'bad_subshare' // g_i(j) does not verify against dealer i's commitments
  | 'too_few_dealers' // fewer than t old holders dealt, or a dealer appears twice
  | 'group_key_changed'; // the new commitments do not keep the group key (never, when every check above passed)

export class ReshareError extends Error {
  override name = 'ReshareError';
  readonly code: ReshareErrorCode;
  constructor(code: ReshareErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
