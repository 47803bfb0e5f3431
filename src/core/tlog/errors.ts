/**
 * The one error class of the transparency-log library. Callers branch on
 * `code`, a stable string (the node maps codes to HTTP statuses, the app
 * shows them); messages say what failed and where, and quote no input
 * beyond a length or a size, so they are safe to log and to show.
 * @module
 */

/** Stable reasons a tlog operation fails. */
export type TlogErrorCode =
  /** A Merkle inclusion or consistency proof does not lead to the expected root. */
  | 'bad_proof'
  /** Text or bytes that do not follow the format (note, checkpoint, tile, key, proof element). */
  | 'malformed'
  /** A signature line from a known key that does not verify. */
  | 'bad_signature'
  /** No verifier for a signature the caller required, or no known key signed the note. */
  | 'unknown_key'
  /** A size, index or range outside what the tree or the format allows. */
  | 'out_of_range'
  /** A hash the reader was asked for is not available (not yet stored, tile missing). */
  | 'missing_hash';

/** Error raised by src/core/tlog/. */
export class TlogError extends Error {
  override name = 'TlogError';
  readonly code: TlogErrorCode;
  constructor(code: TlogErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
