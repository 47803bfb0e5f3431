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
import { anyValue, base64Bytes, struct } from '../../../core/schema.ts';
import { G1_BYTES, parseMpinInput, u32Positive } from '../../../plugins/mpin/codec.ts';
import { MpinError } from '../../../plugins/mpin/errors.ts';
import { parseMpinId } from '../../../plugins/mpin/id.ts';

const G1 = base64Bytes(G1_BYTES);
// id is checked by parseMpinId, which also gives its bytes; u is checked even when a permit makes it unused.
const LOGIN = struct({ id: anyValue, time: u32Positive, v: G1 }, { u: G1, ut: G1, date: u32Positive });

export function parseLogin(body: unknown): Login {
  const o = parseMpinInput(LOGIN, body, 'login');
  const { bytes } = parseMpinId(o.id);
  const base = { id: o.id as string, idBytes: bytes, time: o.time, v: o.v };
  if (o.date === undefined) {
    if (o.ut !== undefined) throw new MpinError('malformed', 'login: ut without a date');
    if (o.u === undefined) throw new MpinError('malformed', 'login: missing field "u"');
    return { ...base, u: o.u };
  }
  if (o.ut === undefined) throw new MpinError('malformed', 'login: missing field "ut" (a date needs a time permit)');
  return { ...base, date: o.date, ut: o.ut };
}
