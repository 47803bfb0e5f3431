/**
 * The one-pass login a client POSTs to an authentication server:
 *   { id, time, v, u }              without a time permit
 *   { id, time, v, ut, date(, u) }  with one (u is then ignored)
 * id is the client's identity CID string (id.ts), time unix seconds (the
 * one bound into the challenge), date days since the epoch, u/ut/v G1
 * points in Milagro's encoding (97 bytes), base64.
 * @module
 */
import type { Login } from './auth-server.ts';
import { fromBase64, integer, object } from '../../../plugins/mpin/codec.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { parseMpinId } from '../../../plugins/mpin/id.ts';

const G1_BYTES = 97;
const U32_MAX = 0xffffffff;

export function parseLogin(body: unknown): Login {
  const o = object('login', body, ['id', 'time', 'v'], ['u', 'ut', 'date']);
  const { bytes } = parseMpinId(o.id);
  const base = {
    id: o.id as string,
    idBytes: bytes,
    time: integer('time', o.time, 1, U32_MAX),
    v: fromBase64('v', o.v, G1_BYTES),
  };
  if (o.date === undefined) {
    if (o.ut !== undefined) throw new MpinError('malformed', 'login: ut without a date');
    return { ...base, u: fromBase64('u', o.u, G1_BYTES) };
  }
  if (o.u !== undefined) fromBase64('u', o.u, G1_BYTES);
  return { ...base, date: integer('date', o.date, 1, U32_MAX), ut: fromBase64('ut', o.ut, G1_BYTES) };
}
