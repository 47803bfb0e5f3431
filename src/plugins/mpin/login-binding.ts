/**
 * What a one-pass login is bound to. The core's one-pass challenge is
 * y = H(time || U || message) (docs/mpin.md#one-pass); the message here is
 *
 *   "dta/mpin/login/v1" 0x00 || len16(server) server || len16(nonce) nonce || len16(session) session
 *
 * with `server` the authentication server's identity CID string, `nonce`
 * the bytes it handed out (POST /challenge, single use, short-lived) and
 * `session` the session the login opens (chosen by the client or its
 * relying party, echoed in the verdict). So a login made for server A does
 * not verify at server B (another identity, another nonce), and one
 * replayed at A finds its nonce used. Lengths are 2 bytes big-endian.
 * @module
 */

import { concat, randomBytes, toHex, utf8 } from '../../core/bytes.ts';
import { base64Bytes, struct, text } from '../../core/schema.ts';
import { parseMpinInput, u32Positive } from './codec.ts';
import { MpinError } from './errors.ts';
import { parseIdentity } from './id.ts';

const DOMAIN = utf8('dta/mpin/login/v1\0');
export const NONCE_BYTES = 32;
/** A session id: 1 to 128 characters of the URL-safe alphabet (a relying party's id, or random). */
export const SESSION_RE = /^[A-Za-z0-9._~-]{1,128}$/;

export interface LoginBinding {
  /** The authentication server's identity CID string. */
  readonly server: string;
  readonly nonce: Uint8Array;
  readonly session: string;
}

function field(b: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(b.length >> 8, b.length & 0xff), b);
}

/** The message bound into the one-pass challenge. */
export function loginMessage(b: LoginBinding): Uint8Array {
  return concat(DOMAIN, field(utf8(b.server)), field(b.nonce), field(utf8(b.session)));
}

/** A challenge as the server hands it out (POST /v1/plugins/mpin/challenge). */
export interface Challenge {
  readonly server: string;
  readonly nonce: Uint8Array;
  /** Unix seconds after which the nonce is refused. */
  readonly expires: number;
}

const CHALLENGE = struct({ server: text({ maxBytes: 128 }), nonce: base64Bytes(NONCE_BYTES), expires: u32Positive });

/** Checks a challenge reply; `expected` is the server's identity as the client knows it, when it does. */
export function parseChallenge(reply: unknown, expected?: string): Challenge {
  const o = parseMpinInput(CHALLENGE, reply, 'challenge');
  parseIdentity(o.server, 'challenge.server');
  if (expected !== undefined && o.server !== expected) {
    throw new MpinError('malformed', 'challenge: from another authentication server than asked');
  }
  return o;
}

/** A session id for a login that has no relying party's: 16 random bytes, hex. */
export function randomSession(): string {
  return toHex(randomBytes(16));
}
