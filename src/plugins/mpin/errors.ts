/**
 * The M-Pin plugin's refusals. Each carries a stable `code` and the HTTP
 * status the route replies with ({error: {code, message}}); messages name
 * what was wrong, never a secret or a share.
 * @module
 */

/** Codes and statuses as in the node's table (src/node/http/errors.ts), plus not_ready. */
export type MpinErrorCode =
  | 'malformed' // wrong JSON/CBOR shape: types, unknown or missing fields, bad base64, wrong lengths
  | 'bad_request' // well-formed, but not something this route takes (e.g. not an authentication server)
  | 'invalid_point' // a point that is not a valid, non-infinity subgroup element
  | 'forbidden' // the caller may not receive this share (not a registered server, revoked, wrong date)
  | 'already_issued' // this node gave the client-secret share of that M-Pin ID already (once per node and ID)
  | 'revoked' // that enrolment is not the identity's current one (it enrolled again): no permit, no login
  | 'not_ready' // the authentication server has not obtained every server-secret share (an issuer is unreachable)
  | 'bad_share' // t-of-n: a share from a node outside the DKG session, under a wrong index, or one that does not verify
  | 'unavailable'; // busy: the replay cache is full, and refusing is safer than forgetting

const STATUS: Readonly<Record<MpinErrorCode, number>> = Object.freeze({
  malformed: 400,
  bad_request: 400,
  invalid_point: 400,
  forbidden: 403,
  already_issued: 409,
  revoked: 403,
  not_ready: 503,
  bad_share: 400,
  unavailable: 503,
});

export class MpinError extends Error {
  override name = 'MpinError';
  readonly code: MpinErrorCode;
  readonly status: number;
  constructor(code: MpinErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** Names of the core's errors for points that fail validation (src/core/errors.ts). */
const POINT_ERRORS = new Set([
  'BadEncodingError',
  'BadLengthError',
  'NotOnCurveError',
  'NotInSubgroupError',
  'InfinityError',
]);

/** Runs a core call on caller-supplied points; the core's validation errors become 400 invalid_point. */
export function withPoints<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && POINT_ERRORS.has(e.name)) throw new MpinError('invalid_point', `${what}: ${e.name}`);
    throw e;
  }
}
