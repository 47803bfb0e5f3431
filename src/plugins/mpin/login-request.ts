/**
 * The JSON body of a one-pass M-Pin login (POST /v1/plugins/mpin/login):
 * the identity's canonical CID, the time bound into the proof, V, and U
 * (or UT and the date when the server requires time permits).
 * @module
 */
import type { CID } from 'multiformats/cid';
import { toBase64 } from '../../core/bytes.ts';
import type { MpinClientResult } from '../../core/mpin/index.ts';
import type { Core } from '../../core/types.ts';
import { canonicalIdentity, mpinIdOf } from './id.ts';

export type LoginBody = Record<string, string | number>;

/** The body from a computed proof (the app computes it in its worker). `date` with a time permit. */
export function loginBodyOf(id: string, time: number, proof: MpinClientResult, date?: number): LoginBody {
  const body: LoginBody = { id, time, v: toBase64(proof.v) };
  if (date === undefined) body.u = toBase64(proof.u);
  else Object.assign(body, { date, ut: toBase64(proof.ut!) });
  return body;
}

export interface LoginInput {
  readonly identity: CID;
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
  const id = mpinIdOf(input.identity);
  const proof = core.mpin.client({ id, pin: input.pin, token: input.token, time, ...withPermit });
  return loginBodyOf(canonicalIdentity(input.identity), time, proof, input.date);
}
