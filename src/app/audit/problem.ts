/**
 * What went wrong while checking, as the Audit page says it: a proof or signature that does not hold (the node
 * is shown wrong: a failed check) or something that stopped the check (the node unreachable, a tile missing:
 * unknown). Messages are the libraries' readable ones, never a stack.
 * @module
 */
import { TlogError } from '../../core/tlog/errors.ts';
import { describeError } from '../ui/errors.ts';

export interface Problem {
  /** The data itself is wrong (a bad proof, a malformed tile or note, a bad signature). */
  readonly proven: boolean;
  readonly message: string;
}

const PROVEN = new Set(['bad_proof', 'malformed', 'bad_signature']);

export function problemOf(e: unknown): Problem {
  if (e instanceof TlogError) return { proven: PROVEN.has(e.code), message: e.message };
  return { proven: false, message: describeError(e).message };
}
