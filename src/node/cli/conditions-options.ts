/**
 * Release conditions from the command line (docs/protocol.md#release-conditions), for `dta order` and
 * `dta custody order`, and the principal's steps on such an order:
 *
 *   --not-before <ISO time>      no release before it (the node's clock)
 *   --check-in-every <days>      a dead man's switch: released once that many days pass without a check-in
 *   dta check-in --order <id> [--url <node>] [--plugin safeguard]   the principal is alive: the period starts again
 *   dta cancel --order <id> [--url <node>] [--plugin safeguard]     the node deletes the secret; no release ever
 * @module
 */
import { type Conditions, parseConditions } from '../../core/protocol/conditions.ts';
import { SchemaPathError } from '../../core/schema.ts';
import { str, type Values } from './input.ts';
import { UsageError } from './main.ts';

const DAY_MS = 86_400_000;

/** The options every command that places an order with conditions takes. */
export const CONDITION_OPTIONS = {
  'not-before': { type: 'string' },
  'check-in-every': { type: 'string' },
} as const;

export const CONDITIONS_USAGE = '[--not-before <ISO time>] [--check-in-every <days>]';

function notBefore(text: string): number {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
    throw new UsageError('--not-before: expected an ISO time, e.g. 2027-03-03 or 2027-03-03T12:00:00Z');
  }
  return ms;
}

function checkInEvery(text: string): { every: number } {
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(text)) throw new UsageError('--check-in-every: expected a number of days');
  return { every: Math.round(Number(text) * DAY_MS) };
}

/** The conditions the options ask for (checked as the node checks them), or undefined when none. */
export function conditionsOf(v: Values): Conditions | undefined {
  const from = str(v, 'not-before');
  const every = str(v, 'check-in-every');
  if (from === undefined && every === undefined) return undefined;
  const asked = {
    ...(from !== undefined ? { notBefore: notBefore(from) } : {}),
    ...(every !== undefined ? { checkIn: checkInEvery(every) } : {}),
  };
  try {
    return parseConditions(asked);
  } catch (e) {
    if (e instanceof SchemaPathError) {
      throw new UsageError(`release conditions: ${e.problem} (a check-in period is 1 hour to 3650 days)`);
    }
    throw e;
  }
}
