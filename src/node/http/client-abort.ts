/**
 * A request its client gave up on: the connection closed or reset before the body was read (issue 13, F3: each
 * one logged an error with a stack trace, so closing connections mid-body flooded the log). Nothing is broken
 * and nobody is left to answer: the server logs it once, at debug, without a stack.
 * @module
 */
import type { IncomingMessage } from 'node:http';

const ABORT_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

export function isClientAbort(err: unknown, req: IncomingMessage): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // Not req.destroyed: a request is destroyed after its body was read in full, too.
  return (typeof code === 'string' && ABORT_CODES.has(code)) || req.readableAborted || req.socket?.destroyed === true;
}
