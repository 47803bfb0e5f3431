/**
 * M-Pin, Apache Milagro's zero-knowledge multi-factor authentication, over
 * the core: byte-compatible with Milagro's BLS381 build (its published
 * vectors pass; the math and encodings are in docs/mpin.md).
 *
 * Who does what:
 *  - each node (D-TA) holds a master-secret share s_i (`masterSecret`) and
 *    issues `serverSecret(s_i)` = s_i Q to authentication servers,
 *    `clientSecret(s_i, hashId(ID))` = s_i H(ID) to the client and, when
 *    time permits are used, `clientPermit(date, s_i, hashId(ID))`;
 *  - clients and servers add the shares (`recombineG1` / `recombineG2`);
 *    no party ever holds s = sum s_i; or, when the s_i are t-of-n Shamir
 *    shares from a DKG, interpolate any t of them (`recoverG1` /
 *    `recoverG2`, threshold.ts), checking server-secret shares against the
 *    DKG's public shares (`verifyServerShare`);
 *  - the client stores `extractPin(ID, pin, CS)` = (s - pin) H(ID), which
 *    is useless without the PIN;
 *  - a login is two-pass (`client1`, a random challenge y, `client2`,
 *    `server1`, `server2`) or one-pass (`client` / `server`, y derived from
 *    the time and U); `server2` and `server` run one two-pair pairing check;
 *  - DVS (`dvsKeyPair`): the client appends its G2 key Pa to its identity,
 *    so the nodes cannot log in as the client (no key escrow);
 *  - M-Pin Full (`precompute`, `hashAll`, `clientKey`, `serverKey`): both
 *    sides derive the same 16-byte AES key;
 *  - after a failed login the server may estimate how far off the PIN was
 *    (`pinErrorValues`, `pinError`), as Milagro's kangaroo does.
 * Who may receive a share is node policy and is not decided here.
 *
 * Encodings are Milagro's, not the ZCash ones of the rest of the core:
 * G1 is 04 || x || y (97 bytes), G2 is x.re || x.im || y.re || y.im (192),
 * scalars are 48 bytes big-endian (< r), GT values 576 bytes in Milagro's
 * tower. Every point is fully validated in the core. Random scalars come
 * from crypto.getRandomValues (64 bytes reduced mod r in the core), unless
 * the caller passes its own (tests, vectors).
 *
 * Errors: malformed input throws a named error (BadLengthError,
 * BadEncodingError, NotOnCurveError, NotInSubgroupError, InfinityError,
 * BadScalarError, BadArgumentError). The verify functions return false
 * only for well-formed inputs that do not verify (wrong PIN, token,
 * permit, date or key).
 *
 * One file per idea: `encoding.ts` (sizes, input checks), `issue.ts`,
 * `token.ts`, `login.ts` (two-pass, DVS), `one-pass.ts`, `pin-error.ts`,
 * `full.ts`; `types.ts` holds the API's shapes.
 * @module
 */

import type { Context } from '../context.ts';
import { DtaError } from '../errors.ts';
import { MPIN_FUNCTIONS, type MpinExports } from '../wasm/exports.ts';
import { readMpinSizes, validators } from './encoding.ts';
import { full } from './full.ts';
import { issuing } from './issue.ts';
import { dvs, twoPass } from './login.ts';
import { onePass } from './one-pass.ts';
import type { Ops } from './ops.ts';
import { pinErrors } from './pin-error.ts';
import { threshold } from './threshold.ts';
import { factors } from './token.ts';
import type { MpinApi } from './types.ts';

export type { MpinExports } from '../wasm/exports.ts';
export type * from './types.ts';

export function makeMpin(ctx: Context): MpinApi {
  const e = ctx.e as unknown as MpinExports;
  const missing = MPIN_FUNCTIONS.filter((name) => typeof e[name] !== 'function');
  if (missing.length > 0) return unavailable(missing);
  const sizes = readMpinSizes(e);
  const ops: Ops = { ctx, e, sizes, v: validators(sizes) };
  return Object.freeze({
    sizes,
    ...issuing(ops),
    ...threshold(ops),
    ...factors(ops),
    ...twoPass(ops),
    ...onePass(ops),
    ...dvs(ops),
    ...pinErrors(ops),
    ...full(ops),
  });
}

/**
 * A module built without M-Pin (an older wasm/dta.wasm): the rest of the
 * core still loads, and every M-Pin call throws a DtaError saying why.
 */
function unavailable(missing: readonly string[]): MpinApi {
  const fail = (): never => {
    const which = `${missing.length} M-Pin export(s) (${missing[0]}, ...)`;
    throw new DtaError(`mpin: the module lacks ${which}: rebuild wasm/dta.wasm`);
  };
  return new Proxy(Object.freeze({}), {
    get: (_target, key) => (typeof key === 'string' && key !== 'then' ? fail : undefined),
  }) as MpinApi;
}
