/**
 * The closed set of errors the crypto core can raise, one class per
 * `dta_error` code of wasm/include/dta.h, plus the base class DtaError.
 *
 * Callers (and tests) tell errors apart by `name` (a string literal that
 * survives minification, structured cloning and the comlink worker
 * boundary) or by `code`, never by message text. Messages name the function
 * and the length of the offending value; they never contain secret bytes.
 * @module
 */

/** Numeric codes, equal to the C enum `dta_error`. */
export const ErrorCode = Object.freeze({
  OK: 0,
  BAD_ENCODING: 1,
  BAD_LENGTH: 2,
  NOT_ON_CURVE: 3,
  NOT_IN_SUBGROUP: 4,
  INFINITY: 5,
  BAD_SCALAR: 6,
  VERIFY_FAIL: 7,
  BAD_ARGUMENT: 8,
});
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base class of every error the core raises. `code` is the C error code (or -1 when unknown). */
export class DtaError extends Error {
  override name: string = 'DtaError';
  readonly code: number;
  constructor(message: string, code = -1) {
    super(message);
    this.code = code;
  }
}

/** Flags, non-canonical field element (x >= p), malformed encoding. */
export class BadEncodingError extends DtaError {
  override name = 'BadEncodingError';
  constructor(message: string) {
    super(message, ErrorCode.BAD_ENCODING);
  }
}

/** A byte string or count has the wrong length or is too large. */
export class BadLengthError extends DtaError {
  override name = 'BadLengthError';
  constructor(message: string) {
    super(message, ErrorCode.BAD_LENGTH);
  }
}

/** The coordinates do not satisfy the curve equation. */
export class NotOnCurveError extends DtaError {
  override name = 'NotOnCurveError';
  constructor(message: string) {
    super(message, ErrorCode.NOT_ON_CURVE);
  }
}

/** The point is on the curve but not in the prime-order subgroup. */
export class NotInSubgroupError extends DtaError {
  override name = 'NotInSubgroupError';
  constructor(message: string) {
    super(message, ErrorCode.NOT_IN_SUBGROUP);
  }
}

/** The point at infinity where it is not allowed (public keys, signatures). */
export class InfinityError extends DtaError {
  override name = 'InfinityError';
  constructor(message: string) {
    super(message, ErrorCode.INFINITY);
  }
}

/** A scalar >= r, or zero where a secret key is required. */
export class BadScalarError extends DtaError {
  override name = 'BadScalarError';
  constructor(message: string) {
    super(message, ErrorCode.BAD_SCALAR);
  }
}

/**
 * A signature or pairing check failed. Only the assert-style functions
 * (`bls.assertVerify`, ...) throw it; the plain verify functions return false.
 */
export class VerificationError extends DtaError {
  override name = 'VerificationError';
  constructor(message: string) {
    super(message, ErrorCode.VERIFY_FAIL);
  }
}

/** Anything else the caller got wrong: wrong type, empty list, duplicate share index, t > n... */
export class BadArgumentError extends DtaError {
  override name = 'BadArgumentError';
  constructor(message: string) {
    super(message, ErrorCode.BAD_ARGUMENT);
  }
}

/** Every error name the core can raise, for exhaustive checks in tests and UIs. */
export const ERROR_NAMES = Object.freeze([
  'DtaError',
  'BadEncodingError',
  'BadLengthError',
  'NotOnCurveError',
  'NotInSubgroupError',
  'InfinityError',
  'BadScalarError',
  'VerificationError',
  'BadArgumentError',
] as const);
export type DtaErrorName = (typeof ERROR_NAMES)[number];

const DESCRIPTIONS: Record<number, string> = {
  1: 'bad encoding',
  2: 'bad length',
  3: 'point not on curve',
  4: 'point not in subgroup',
  5: 'point at infinity not allowed',
  6: 'bad scalar',
  7: 'verification failed',
  8: 'bad argument',
};

/** The error object for a nonzero C return code; `where` names the API function. */
export function errorFromCode(code: number, where: string, detail = ''): DtaError {
  const message = `${where}: ${DESCRIPTIONS[code] ?? `unknown error code ${code}`}${detail ? ` (${detail})` : ''}`;
  switch (code) {
    case ErrorCode.BAD_ENCODING:
      return new BadEncodingError(message);
    case ErrorCode.BAD_LENGTH:
      return new BadLengthError(message);
    case ErrorCode.NOT_ON_CURVE:
      return new NotOnCurveError(message);
    case ErrorCode.NOT_IN_SUBGROUP:
      return new NotInSubgroupError(message);
    case ErrorCode.INFINITY:
      return new InfinityError(message);
    case ErrorCode.BAD_SCALAR:
      return new BadScalarError(message);
    case ErrorCode.VERIFY_FAIL:
      return new VerificationError(message);
    case ErrorCode.BAD_ARGUMENT:
      return new BadArgumentError(message);
    default:
      return new DtaError(message, code);
  }
}

/** Throws the matching error class unless `code` is 0. */
export function check(code: number, where: string, detail = ''): void {
  if (code !== ErrorCode.OK) throw errorFromCode(code, where, detail);
}

/** True for any error raised by the core, also after a trip through a worker (checks `name`). */
export function isDtaError(e: unknown): e is Error & { name: DtaErrorName } {
  return e instanceof Error && (ERROR_NAMES as readonly string[]).includes(e.name);
}
