/**
 * C2SP tlog-checkpoint: the note text a log signs for one tree head.
 *
 *     <origin>\n<size in decimal, no leading zero>\n<base64 of the 32-byte root>\n[<extension line>\n]...
 *
 * Parsing is strict so that one checkpoint has one text: a witness or a
 * client comparing two checkpoints compares texts it parsed the same way.
 * @module
 */
import { fromBase64, toBase64 } from '../bytes.ts';
import { TlogError } from './errors.ts';
import { hasControl, isWellFormed } from './keys.ts';
import { HASH_SIZE } from './merkle.ts';

/** A tree head: the log's origin line, its size, its RFC 9162 root, and opaque extension lines (usually none). */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  extensions: string[];
}

/** The checkpoint's note text (ends in a newline). */
export function formatCheckpoint(c: Checkpoint): string {
  const lines = [c.origin, checkedSize(c.size), toBase64(checkedRoot(c.root)), ...c.extensions];
  for (const line of lines) checkLine(line);
  return `${lines.join('\n')}\n`;
}

/** Parses a checkpoint's note text; throws TlogError('malformed') on anything but the exact form. */
export function parseCheckpoint(text: string): Checkpoint {
  if (typeof text !== 'string' || !text.endsWith('\n')) throw malformed('must end with a newline');
  const [origin = '', size = '', root = '', ...extensions] = text.slice(0, -1).split('\n');
  for (const line of [origin, size, root, ...extensions]) checkLine(line);
  if (!/^(0|[1-9][0-9]*)$/.test(size)) throw malformed('the size is not a decimal number without leading zero');
  const n = Number(size);
  if (!Number.isSafeInteger(n)) throw malformed('the size is too large');
  let hash: Uint8Array;
  try {
    hash = fromBase64(root, 'checkpoint root');
  } catch {
    throw malformed('the root is not standard base64');
  }
  return { origin, size: n, root: checkedRoot(hash), extensions };
}

function checkLine(line: string): void {
  if (typeof line !== 'string' || line === '') throw malformed('a line is empty or missing');
  if (line.includes('\n') || hasControl(line) || !isWellFormed(line)) {
    throw malformed('a line holds a newline, a control character or invalid UTF-16');
  }
}

function checkedSize(size: number): string {
  if (!Number.isSafeInteger(size) || size < 0) throw malformed('the size is not a non-negative integer');
  return String(size);
}

function checkedRoot(root: Uint8Array): Uint8Array {
  if (!(root instanceof Uint8Array) || root.length !== HASH_SIZE) throw malformed(`the root is not ${HASH_SIZE} bytes`);
  return root;
}

const malformed = (why: string): TlogError => new TlogError('malformed', `checkpoint: ${why}`);
