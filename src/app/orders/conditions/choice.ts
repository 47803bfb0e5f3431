/**
 * The release conditions as the order forms ask for them ("only if I don't check in for [90] days", "not before
 * [date]", "to whoever signs in as [email] at [provider]") and the `conditions` an order carries from that choice,
 * checked as the nodes check them (src/core/protocol/conditions.ts).
 * @module
 */
import { type Conditions, parseConditions } from '../../../core/protocol/conditions.ts';
import { InputError } from '../../api/errors.ts';

const DAY_MS = 86_400_000;

/** The longest switch the nodes take, in days (ten years). */
export const MAX_CHECK_IN_DAYS = 3650;

export interface ConditionsChoice {
  readonly checkIn: boolean;
  readonly days: number;
  readonly notBefore: boolean;
  /** A day as a date input gives it, "2027-03-03": from that day's start, the device's time zone. */
  readonly date: string;
  readonly oidc: boolean;
  readonly issuer: string;
  readonly email: string;
}

export const NO_CONDITIONS: ConditionsChoice = Object.freeze({
  checkIn: false,
  days: 90,
  notBefore: false,
  date: '',
  oidc: false,
  issuer: '',
  email: '',
});

/** The start of the day `date` ("YYYY-MM-DD") in the device's time zone, in ms since the epoch. */
function startOfDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const at = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : Number.NaN;
  if (!Number.isFinite(at)) throw new InputError('notBefore', 'choose the day before which nothing is released');
  return at;
}

/** The order's `conditions` from the form's choice; undefined when none is chosen. */
export function conditionsOfChoice(choice: ConditionsChoice): Conditions | undefined {
  const out: { notBefore?: number; checkIn?: { every: number }; oidc?: { issuer: string; email: string } } = {};
  if (choice.checkIn) {
    if (!Number.isInteger(choice.days) || choice.days < 1 || choice.days > MAX_CHECK_IN_DAYS) {
      throw new InputError('checkIn', `a check-in period is a whole number of days, 1 to ${MAX_CHECK_IN_DAYS}`);
    }
    out.checkIn = { every: choice.days * DAY_MS };
  }
  if (choice.notBefore) out.notBefore = startOfDay(choice.date);
  if (choice.oidc) {
    if (!choice.issuer) throw new InputError('oidc', 'choose the provider the beneficiary signs in with');
    if (!choice.email.includes('@')) throw new InputError('oidc', 'type the email address the beneficiary signs in as');
    out.oidc = { issuer: choice.issuer, email: choice.email.trim() };
  }
  if (!out.checkIn && out.notBefore === undefined && !out.oidc) return undefined;
  try {
    return parseConditions(out);
  } catch (e) {
    throw new InputError('conditions', e instanceof Error ? e.message : String(e));
  }
}
