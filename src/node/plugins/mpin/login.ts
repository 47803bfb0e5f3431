/**
 * The one-pass login a client POSTs to an authentication server:
 *   { id, time, nonce, session, v, u }              without a time permit
 *   { id, time, nonce, session, v, ut, date(, u) }  with one (u is then ignored)
 * id is the M-Pin ID (identity CID, "#" and enrolment; id.ts), time unix
 * seconds (the one bound into the challenge), nonce the server's (base64,
 * 32 bytes), session the session id bound into the challenge
 * (login-binding.ts), date days since the epoch, u/ut/v G1 points in
 * Milagro's encoding (97 bytes), base64.
 * @module
 */

import { anyValue, base64Bytes, struct, text } from '../../../core/schema.ts';
import { G1_BYTES, parseMpinInput, u32Positive } from '../../../plugins/mpin/codec.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { parseMpinId } from '../../../plugins/mpin/id.ts';
import { NONCE_BYTES, SESSION_RE } from '../../../plugins/mpin/login-binding.ts';
import type { Login } from './auth-server.ts';

const G1 = base64Bytes(G1_BYTES);
const SESSION = text({ maxBytes: 128, pattern: SESSION_RE, what: 'a session id (1 to 128 of A-Z a-z 0-9 . _ ~ -)' });
// id is checked by parseMpinId, which also gives its bytes; u is checked even when a permit makes it unused.
const LOGIN = struct(
  { id: anyValue, time: u32Positive, nonce: base64Bytes(NONCE_BYTES), session: SESSION, v: G1 },
  { u: G1, ut: G1, date: u32Positive },
);

export function parseLogin(body: unknown): Login {
  const o = parseMpinInput(LOGIN, body, 'login');
  const id = parseMpinId(o.id);
  const base = {
    id: id.text,
    idBytes: id.bytes,
    identity: id.cid,
    enrolment: id.enrolment,
    time: o.time,
    nonce: o.nonce,
    session: o.session,
    v: o.v,
  };
  if (o.date === undefined) {
    if (o.ut !== undefined) throw new MpinError('malformed', 'login: ut without a date');
    if (o.u === undefined) throw new MpinError('malformed', 'login: missing field "u"');
    return { ...base, u: o.u };
  }
  if (o.ut === undefined) throw new MpinError('malformed', 'login: missing field "ut" (a date needs a time permit)');
  return { ...base, date: o.date, ut: o.ut };
}
