/**
 * Why a witness refuses a checkpoint, with the HTTP status C2SP tlog-witness
 * gives each case. The server's error handler turns a WitnessError into the
 * node's one error shape ({error: {code, message}}); the stale-size 409 is
 * answered by the route itself in `text/x.tlog.size`, as the spec requires.
 * @module
 */

export const WITNESS_ERRORS = {
  /** The body does not follow the add-checkpoint format, or the checkpoint does not parse. */
  malformed: 400,
  /** The old size is above the checkpoint's size: the log asks to go back. */
  rollback: 400,
  /** No signature from a key this witness trusts for the origin verifies. */
  bad_signature: 403,
  /** This witness does not witness a log of that origin. */
  unknown_log: 404,
  /** The old size is not the size of the last checkpoint cosigned here (the body says which). */
  stale_old: 409,
  /** A checkpoint of the size cosigned here with another root: the log forked (kept as evidence). */
  fork: 409,
  /** The consistency proof from the last cosigned checkpoint does not verify (kept as evidence). */
  inconsistent: 422,
} as const;

export type WitnessErrorCode = keyof typeof WITNESS_ERRORS;

export class WitnessError extends Error {
  override name = 'WitnessError';
  readonly code: WitnessErrorCode;
  readonly status: number;
  /** For stale_old: the size of the last checkpoint cosigned here. */
  readonly size: number | undefined;
  constructor(code: WitnessErrorCode, message: string, size?: number) {
    super(message);
    this.code = code;
    this.status = WITNESS_ERRORS[code];
    this.size = size;
  }
}
