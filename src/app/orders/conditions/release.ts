/**
 * Where an order's release stands, from the conditions the principal signed and the nodes' own times on its chain
 * (the `created` of each node's reply to the order, or of its latest check-in reply): waiting for a date, waiting
 * for the dead man's switch, releasable now, cancelled or released. Pure, so the order page, Home's reminders and
 * the tests read the same answer. The rule is the node's (src/core/protocol/conditions.ts `releasesAt`).
 * @module
 */
import { type Conditions, releasesAt } from '../../../core/protocol/conditions.ts';

const DAY_MS = 86_400_000;

export interface ReleaseInput {
  readonly conditions: Conditions;
  /**
   * For each node holding the order (or a share of it): the node's time of its reply to the order or of the latest
   * check-in it answered. Each node enforces its own copy, so each has its own deadline.
   */
  readonly since: readonly number[];
  /** Nodes that must release for the secret to come back (custody's t; 1 for one node). */
  readonly threshold?: number;
  readonly status: 'open' | 'redeemed' | 'cancelled';
  /** The node's time of the release (its redemption reply), when known. */
  readonly releasedAt?: number;
}

export type Release =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'released'; readonly at?: number }
  /** Held back until `at`; with a switch, a check-in moves `at`. */
  | { readonly kind: 'waiting'; readonly at: number; readonly checkIn: boolean }
  /** The time conditions hold since `at`: a redemption is accepted now (a check-in still postpones it). */
  | { readonly kind: 'due'; readonly at: number; readonly checkIn: boolean }
  /** No time condition (an OpenID Connect beneficiary alone): released whenever the beneficiary asks. */
  | { readonly kind: 'anytime' };

/**
 * The time from which enough nodes release: each node's own deadline, the `threshold`-th earliest (a custody group
 * gives the secret back once t nodes give their shares).
 */
function releaseTime(input: ReleaseInput): number | undefined {
  const times = input.since
    .map((s) => releasesAt(input.conditions, s))
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  if (times.length === 0) return input.conditions.notBefore;
  return times[Math.min(Math.max(1, input.threshold ?? 1), times.length) - 1];
}

/** The release's state at `now` (the device's clock; the nodes decide by theirs). */
export function releaseOf(input: ReleaseInput, now: number): Release {
  if (input.status === 'cancelled') return { kind: 'cancelled' };
  if (input.status === 'redeemed') {
    return input.releasedAt !== undefined ? { kind: 'released', at: input.releasedAt } : { kind: 'released' };
  }
  const at = releaseTime(input);
  if (at === undefined) return { kind: 'anytime' };
  // A check-in moves the date only while the switch, not a later "not before", sets it.
  const checkIn = input.conditions.checkIn !== undefined && at !== input.conditions.notBefore;
  return now < at ? { kind: 'waiting', at, checkIn } : { kind: 'due', at, checkIn };
}

/**
 * How long before a switch's deadline the app reminds the principal: 7 days, or a tenth of the period when that is
 * longer (a yearly switch warns five weeks ahead).
 */
export function reminderLead(conditions: Conditions): number {
  const every = conditions.checkIn?.every ?? 0;
  return Math.max(7 * DAY_MS, every / 10);
}

/** A check-in is worth reminding of: a switch whose deadline is near, or passed with nothing released yet. */
export function checkInDue(conditions: Conditions, release: Release, now: number): boolean {
  if (release.kind === 'due') return release.checkIn;
  if (release.kind !== 'waiting' || !release.checkIn) return false;
  return release.at - now <= reminderLead(conditions);
}
