/**
 * Release conditions and states in plain words, for the principal ("Releases on 3 March 2027 at 09:41 unless you
 * check in") and for the beneficiary ("Not yet: Paul's switch releases on …"). Dates are the device's local time.
 * @module
 */
import type { Conditions } from '../../../core/protocol/conditions.ts';
import type { Release } from './release.ts';

const DAY_MS = 86_400_000;

const DAY_AND_TIME = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short' });

/** "3 March 2027 at 09:41". */
export function formatDay(ms: number): string {
  return DAY_AND_TIME.format(ms);
}

/** A switch's period as a person says it: "30 days", "1 day", "12 hours". */
export function periodWords(ms: number): string {
  if (ms % DAY_MS === 0) return ms === DAY_MS ? '1 day' : `${ms / DAY_MS} days`;
  const hours = Math.round(ms / 3_600_000);
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

/** Who reads: the principal (you), or the beneficiary, who names the principal. */
export interface Reader {
  readonly principal: boolean;
  /** The principal's name as the beneficiary knows it ("Paul"); "the principal" when unknown. */
  readonly principalName?: string;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** The state of a release, one sentence. */
export function releaseWords(release: Release, reader: Reader): string {
  const who = reader.principalName ?? 'the principal';
  switch (release.kind) {
    case 'cancelled':
      return reader.principal ? 'Cancelled: the nodes deleted the secret' : `Cancelled: ${who} cancelled the release`;
    case 'released':
      return release.at !== undefined ? `Released on ${formatDay(release.at)}` : 'Released';
    case 'anytime':
      return reader.principal ? 'Released when the beneficiary asks' : 'You can retrieve it';
    case 'waiting':
      if (reader.principal) {
        return release.checkIn
          ? `Releases on ${formatDay(release.at)} unless you check in`
          : `Not before ${formatDay(release.at)}`;
      }
      return release.checkIn
        ? `Not yet: ${possessive(who)} switch releases on ${formatDay(release.at)} unless they check in`
        : `Not yet: not before ${formatDay(release.at)}`;
    case 'due':
      if (!reader.principal) return `You can retrieve it since ${formatDay(release.at)}`;
      return release.checkIn
        ? `Releasable since ${formatDay(release.at)}: check in now to postpone it`
        : `Releasable since ${formatDay(release.at)}`;
  }
}

/** The conditions the principal signed, one line each ("Only if Paul does not check in for 30 days"). */
export function conditionLines(conditions: Conditions, reader: Reader): string[] {
  const lines: string[] = [];
  if (conditions.checkIn) {
    const period = periodWords(conditions.checkIn.every);
    lines.push(
      reader.principal
        ? `Only if you don't check in for ${period}`
        : `Only if ${reader.principalName ?? 'the principal'} does not check in for ${period}`,
    );
  }
  if (conditions.notBefore !== undefined) lines.push(`Not before ${formatDay(conditions.notBefore)}`);
  if (conditions.oidc) {
    const { issuer, email, subject } = conditions.oidc;
    lines.push(`To whoever signs in as ${email ?? subject} at ${new URL(issuer).host}`);
  }
  return lines;
}
