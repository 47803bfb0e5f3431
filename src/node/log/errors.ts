/**
 * Errors of the node's log, with stable codes: `log_corrupt` (the files on disk do not match the signed
 * checkpoint: the node refuses to start rather than sign a second history), `log_unavailable` (a write failed
 * or the log is closed: nothing more is appended until a restart re-reads the files), `out_of_range` (a size
 * beyond the latest checkpoint). Messages name sizes and files, never an entry's content or a key.
 * @module
 */
export type LogErrorCode = 'log_corrupt' | 'log_unavailable' | 'out_of_range';

export class LogError extends Error {
  override name = 'LogError';
  readonly code: LogErrorCode;
  constructor(code: LogErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
