/**
 * What a refused M-Pin login means for the person, from the authentication server's reason: a lockout says it is
 * one and until when (the server's retryAfter), a wrong PIN says so with the tries left when the server counts
 * them; the reason's code is never shown as the sentence.
 * @module
 */
import { formatTime } from '../ui/index.ts';
import type { LoginRecord } from './model.ts';

function lockout(o: LoginRecord): string {
  if (o.retryAfter === undefined) return 'Locked out after too many wrong PINs: wait a while before trying again.';
  return `Locked out after too many wrong PINs: try again after ${formatTime(o.at + o.retryAfter * 1000)}.`;
}

function wrongPin(o: LoginRecord): string {
  if (o.attemptsLeft === undefined) return 'Wrong PIN.';
  if (o.attemptsLeft === 0)
    return `Wrong PIN. No tries left: ${lockout(o).charAt(0).toLowerCase()}${lockout(o).slice(1)}`;
  return `Wrong PIN: ${o.attemptsLeft} ${o.attemptsLeft === 1 ? 'try' : 'tries'} left before a lockout.`;
}

const OTHER: Readonly<Record<string, string>> = {
  revoked: 'This registration was replaced by a newer one: log in with the newer registration.',
  stale: "This device's clock and the server's differ too much: check the time on this device.",
  replayed: 'This login was already used: try again.',
  date: "This device's date and the server's differ: check the date on this device.",
  permit_required: 'The server asks for a time permit this registration could not get: register again.',
};

/** The sentence shown for a refused login. */
export function refusalText(o: LoginRecord): string {
  if (o.reason === 'locked') return `✗ ${lockout(o)}`;
  if (o.reason === 'refused' || o.reason === undefined) return `✗ ${wrongPin(o)}`;
  return `✗ ${OTHER[o.reason] ?? 'The server refused this login.'}`;
}
