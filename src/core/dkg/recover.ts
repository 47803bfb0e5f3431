/**
 * Recovery of a DKG's (or a dealt group's) secret from the shares its holders released: every share is
 * checked against the group's Feldman commitments first, so a holder can withhold its share or send a wrong
 * one, never make a wrong one count; the secret is interpolated at 0 from the first t good shares, and its
 * public key must be C_0. Fewer than t good shares: a RecoveryError naming the wrong ones — the same refusal
 * that keeps t − 1 colluding holders (their shares, however right) from the secret.
 * @module
 */
import { equalBytes, wipe } from '../bytes.ts';
import type { DkgGroup, Share } from './group.ts';

export type RecoveryErrorCode =
  | 'bad_commitments' // not t valid commitments (C_0 the identity, a point off the group, another count)
  | 'duplicate_index' // two shares claim the same index: the caller maps each holder to its own index
  | 'too_few_shares'; // fewer than t shares verify against the commitments

export class RecoveryError extends Error {
  override name = 'RecoveryError';
  readonly code: RecoveryErrorCode;
  /** The 1-based indices of the shares that failed the commitments. */
  readonly wrong: readonly number[];
  constructor(code: RecoveryErrorCode, message: string, wrong: readonly number[] = []) {
    super(message);
    this.code = code;
    this.wrong = wrong;
  }
}

export interface Recovered {
  /** The secret scalar (the caller wipes it). */
  readonly secret: Uint8Array;
  /** The indices of the shares that failed the commitments, ascending. */
  readonly wrong: number[];
}

/** True when `share` is a canonical scalar on the committed polynomial; a malformed one is as wrong as a bad one. */
function verifies(group: DkgGroup, share: Share, commitments: readonly Uint8Array[]): boolean {
  if (!group.isScalar(share.value)) return false;
  try {
    return group.verifyShare(share, commitments);
  } catch {
    return false;
  }
}

function assertDistinct(shares: readonly Share[]): void {
  const seen = new Set<number>();
  for (const s of shares) {
    if (seen.has(s.index)) throw new RecoveryError('duplicate_index', `recover: share index ${s.index} given twice`);
    seen.add(s.index);
  }
}

/**
 * The secret of a t-of-n group from `shares` (any order, any count): verified against `commitments` (exactly t,
 * one per coefficient), recovered from the first t that verify. Throws RecoveryError('too_few_shares') naming
 * the wrong ones when fewer than t verify.
 */
export function recoverFromShares(
  group: DkgGroup,
  shares: readonly Share[],
  commitments: readonly Uint8Array[],
  t: number,
): Recovered {
  if (!Number.isInteger(t) || t < 1 || commitments.length !== t || !group.areCommitments(commitments)) {
    throw new RecoveryError('bad_commitments', `recover: need ${t} valid commitments, one per coefficient`);
  }
  assertDistinct(shares);
  const good: Share[] = [];
  const wrong: number[] = [];
  for (const s of shares) {
    if (verifies(group, s, commitments)) good.push(s);
    else wrong.push(s.index);
  }
  wrong.sort((a, b) => a - b);
  if (good.length < t) {
    const named = wrong.length > 0 ? `; wrong: ${wrong.join(', ')}` : '';
    throw new RecoveryError('too_few_shares', `recover: ${good.length} good shares, ${t} needed${named}`, wrong);
  }
  const secret = group.recover(good.slice(0, t));
  if (!equalBytes(group.publicKey(secret), commitments[0] as Uint8Array)) {
    wipe(secret); // cannot happen with verified shares; refuse rather than hand out a wrong key
    throw new RecoveryError('bad_commitments', 'recover: the recovered key is not the group key');
  }
  return { secret, wrong };
}
