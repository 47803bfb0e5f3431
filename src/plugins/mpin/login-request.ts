/**
 * The JSON body of a one-pass M-Pin login (POST /v1/plugins/mpin/login):
 * the M-Pin ID (identity CID and enrolment, id.ts), the time bound into
 * the proof, the server's nonce and the session (login-binding.ts), V, and
 * UT with the permit's date (or U where the server takes logins without a
 * time permit).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { toBase64 } from '../../core/bytes.ts';
import type { MpinClientResult } from '../../core/mpin/index.ts';
import type { Core } from '../../core/types.ts';
import { mpinIdText } from './id.ts';
import { type Challenge, loginMessage } from './login-binding.ts';

export type LoginBody = Record<string, string | number>;

/** What a login is bound to: the server's challenge and the session. */
export interface LoginBound {
  readonly challenge: Challenge;
  readonly session: string;
}

/** The body from a computed proof (the app computes it in its worker). `date` with a time permit. */
export function loginBodyOf(
  id: string,
  time: number,
  bound: LoginBound,
  proof: MpinClientResult,
  date?: number,
): LoginBody {
  const nonce = toBase64(bound.challenge.nonce);
  const body: LoginBody = { id, time, nonce, session: bound.session, v: toBase64(proof.v) };
  if (date === undefined) body.u = toBase64(proof.u);
  else Object.assign(body, { date, ut: toBase64(proof.ut!) });
  return body;
}

/** The message the proof binds (login-binding.ts). */
export function loginMessageOf(bound: LoginBound): Uint8Array {
  return loginMessage({ server: bound.challenge.server, nonce: bound.challenge.nonce, session: bound.session });
}

export interface LoginInput extends LoginBound {
  readonly identity: CID;
  /** The enrolment of the token (0: an enrolment made before issuers kept records). */
  readonly enrolment?: number;
  readonly pin: number;
  readonly token: Uint8Array;
  /** Unix seconds; now when absent. */
  readonly time?: number;
  /** With a time permit: its date (days) and the permit (sum of the nodes' permits). */
  readonly date?: number;
  readonly permit?: Uint8Array;
}

/** The body with the proof computed here by the core (scripts and tests: the token is in memory). */
export function loginBody(core: Core, input: LoginInput): LoginBody {
  const time = input.time ?? Math.floor(Date.now() / 1000);
  const withPermit = input.date !== undefined ? { date: input.date, permit: input.permit } : {};
  const id = mpinIdText(input.identity, input.enrolment ?? 0);
  const message = loginMessageOf(input);
  const proof = core.mpin.client({
    id: new TextEncoder().encode(id),
    pin: input.pin,
    token: input.token,
    time,
    message,
    ...withPermit,
  });
  return loginBodyOf(id, time, input, proof, input.date);
}
