/**
 * The one error class of the safeguard plugin's shared half. Callers tell
 * cases apart by `code`, never by message text; messages name the field,
 * never a secret.
 * @module
 */

/** Codes and statuses follow the node's table (src/node/http/errors.ts); `mismatch` is client-side only. */
export type SafeguardErrorCode =
  | 'malformed' // an envelope's content is not of the documented shape (type, size, unknown or missing field)
  | 'mismatch'; // a client-side check failed: the node's reply is not about what was ordered or committed

const STATUS: Readonly<Record<SafeguardErrorCode, number>> = Object.freeze({ malformed: 400, mismatch: 422 });

export class SafeguardError extends Error {
  override name = 'SafeguardError';
  readonly code: SafeguardErrorCode;
  /** The HTTP status a host answers with (the node's plugin host reads `code` and `status`). */
  readonly status: number;
  constructor(code: SafeguardErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}
