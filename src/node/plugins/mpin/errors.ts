/**
 * The M-Pin plugin's refusals. Each carries a stable `code` and the HTTP
 * status the route replies with ({error: {code, message}}); messages name
 * what was wrong, never a secret or a share.
 * @module
 */

export type MpinErrorCode =
  | 'bad_request' // malformed JSON/CBOR, wrong types, unknown fields, bad base64
  | 'invalid_point' // a point that is not a valid, non-infinity subgroup element
  | 'forbidden' // the caller may not receive this share (not a registered server, revoked, wrong date)
  | 'not_ready' // the authentication server has not obtained all its server-secret shares
  | 'unavailable' // an issuing node could not be reached or answered wrongly
  | 'busy'; // the replay cache is full: refusing is safer than forgetting

const STATUS: Readonly<Record<MpinErrorCode, number>> = Object.freeze({
  bad_request: 400,
  invalid_point: 400,
  forbidden: 403,
  not_ready: 503,
  unavailable: 502,
  busy: 503,
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
const POINT_ERRORS = new Set(['BadEncodingError', 'BadLengthError', 'NotOnCurveError', 'NotInSubgroupError', 'InfinityError']);

/** Runs a core call on caller-supplied points; the core's validation errors become 400 invalid_point. */
export function withPoints<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof Error && POINT_ERRORS.has(e.name)) throw new MpinError('invalid_point', `${what}: ${e.name}`);
    throw e;
  }
}
