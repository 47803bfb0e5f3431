/**
 * A one-pass reading of DAG-CBOR bytes that proves them canonical without
 * encoding the decoded value again, for the shapes protocol documents use:
 * integers in the safe range, byte strings, ASCII text, arrays, maps with
 * text keys, CIDv1 links (tag 42), false, true and null. Every head must
 * be the shortest for its argument and of definite length, map keys must
 * rise strictly in DAG-CBOR's order (shorter first, then bytewise), and
 * nothing may follow the item.
 *
 * It only ever says "proven canonical" or "not proven": anything it does not
 * model (floats, non-ASCII text, big integers, other tags, deep nesting)
 * is "not proven", and cbor.ts then falls back to the full re-encode, which
 * gives the same verdict and the same error as before. So a fast accept is
 * the only new outcome, and it is sound: bytes accepted here are exactly
 * what @ipld/dag-cbor writes for the value it decodes from them.
 * Specified in docs/protocol.md#dag-cbor-and-cids.
 * @module
 */

const MAJOR_UINT = 0;
const MAJOR_NEGINT = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const MAJOR_TAG = 6;
const MAJOR_SIMPLE = 7;
const CID_TAG = 42;
/** Nesting deeper than this is left to the re-encode (protocol documents nest a few levels). */
const MAX_DEPTH = 32;
/** The decoder gives a number (not a BigInt) up to this; a negative integer -1 - n needs n one less. */
const MAX_ARGUMENT = Number.MAX_SAFE_INTEGER;

/** Thrown inside the scan when the bytes are not proven canonical; never leaves this module. */
class NotProven extends Error {}

interface Head {
  readonly major: number;
  readonly argument: number;
  /** Offset just past the head. */
  readonly next: number;
}

/** The head at `at`, refused unless it is definite and as short as its argument allows. */
function headAt(bytes: Uint8Array, at: number): Head {
  if (at >= bytes.length) throw new NotProven();
  const initial = bytes[at]!;
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (info < 24) return { major, argument: info, next: at + 1 };
  if (info > 27) throw new NotProven(); // reserved, or indefinite length
  const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes
  if (at + 1 + size > bytes.length) throw new NotProven();
  let argument = 0;
  for (let i = 1; i <= size; i++) argument = argument * 256 + bytes[at + i]!;
  const shortest = info === 24 ? 24 : 2 ** (8 * (size >> 1)); // the smallest argument this size is for
  if (argument < shortest || argument > MAX_ARGUMENT) throw new NotProven();
  return { major, argument, next: at + 1 + size };
}

/** The end of `length` bytes starting at `at`, which must fit. */
function spanEnd(bytes: Uint8Array, at: number, length: number): number {
  if (length > bytes.length - at) throw new NotProven();
  return at + length;
}

/** The end of an unsigned varint at `at`, refused unless minimal (no trailing zero group). */
function varintEnd(bytes: Uint8Array, at: number, end: number): number {
  for (let i = at; i < end && i < at + 8; i++) {
    if ((bytes[i]! & 0x80) === 0) {
      if (i > at && bytes[i] === 0) throw new NotProven();
      return i + 1;
    }
  }
  throw new NotProven();
}

/** Tag 42's content: a byte string 0x00 || CIDv1 with minimal varints and a digest of exactly the stated size. */
function cidEnd(bytes: Uint8Array, at: number): number {
  const head = headAt(bytes, at);
  if (head.major !== MAJOR_BYTES) throw new NotProven();
  const end = spanEnd(bytes, head.next, head.argument);
  if (end - head.next < 2 || bytes[head.next] !== 0x00 || bytes[head.next + 1] !== 0x01) throw new NotProven();
  const hashCodeAt = varintEnd(bytes, head.next + 2, end); // past the codec
  const lengthAt = varintEnd(bytes, hashCodeAt, end); // past the hash function code
  const digestAt = varintEnd(bytes, lengthAt, end);
  if (digestAt - lengthAt !== 1 || digestAt + bytes[lengthAt]! !== end) throw new NotProven();
  return end;
}

/** -1, 0 or 1: how two text keys order in DAG-CBOR (shorter first, then bytewise). */
function compareKeys(bytes: Uint8Array, a: number, aEnd: number, b: number, bEnd: number): number {
  if (aEnd - a !== bEnd - b) return aEnd - a < bEnd - b ? -1 : 1;
  for (let i = 0; i < aEnd - a; i++) {
    if (bytes[a + i] !== bytes[b + i]) return bytes[a + i]! < bytes[b + i]! ? -1 : 1;
  }
  return 0;
}

/** The end of an ASCII text string at `at` (non-ASCII is left to the re-encode, which checks UTF-8). */
function textEnd(bytes: Uint8Array, head: Head): number {
  const end = spanEnd(bytes, head.next, head.argument);
  for (let i = head.next; i < end; i++) if (bytes[i]! >= 0x80) throw new NotProven();
  return end;
}

/** The end of a map whose head is `head`: text keys in strictly rising order, each followed by its value. */
function mapEnd(bytes: Uint8Array, head: Head, depth: number): number {
  let at = head.next;
  let previousKey = -1;
  let previousKeyEnd = -1;
  for (let i = 0; i < head.argument; i++) {
    const keyHead = headAt(bytes, at);
    if (keyHead.major !== MAJOR_TEXT) throw new NotProven();
    const keyEnd = textEnd(bytes, keyHead);
    const key = keyHead.next;
    if (previousKey >= 0 && compareKeys(bytes, previousKey, previousKeyEnd, key, keyEnd) >= 0) throw new NotProven();
    // The decoder treats this key specially; leave it to the re-encode.
    if (keyEnd - key === 9 && String.fromCharCode(...bytes.subarray(key, keyEnd)) === '__proto__') {
      throw new NotProven();
    }
    previousKey = key;
    previousKeyEnd = keyEnd;
    at = itemEnd(bytes, keyEnd, depth + 1);
  }
  return at;
}

/** The end of the canonical item at `at`; throws NotProven for anything not proven canonical. */
function itemEnd(bytes: Uint8Array, at: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new NotProven();
  const head = headAt(bytes, at);
  switch (head.major) {
    case MAJOR_UINT:
      return head.next;
    case MAJOR_NEGINT:
      if (head.argument > MAX_ARGUMENT - 1) throw new NotProven();
      return head.next;
    case MAJOR_BYTES:
      return spanEnd(bytes, head.next, head.argument);
    case MAJOR_TEXT:
      return textEnd(bytes, head);
    case MAJOR_ARRAY: {
      let next = head.next;
      for (let i = 0; i < head.argument; i++) next = itemEnd(bytes, next, depth + 1);
      return next;
    }
    case MAJOR_MAP:
      return mapEnd(bytes, head, depth);
    case MAJOR_TAG:
      if (head.argument !== CID_TAG) throw new NotProven();
      return cidEnd(bytes, head.next);
    case MAJOR_SIMPLE:
      // false, true, null; floats and undefined (which the decoder turns into null) go to the re-encode.
      if (head.argument < 20 || head.argument > 22 || head.next !== at + 1) throw new NotProven();
      return head.next;
    default:
      throw new NotProven();
  }
}

/**
 * True when `bytes` are proven to be one canonical DAG-CBOR item of the modelled shapes; false means "not
 * proven" (maybe canonical, maybe not), never "not canonical".
 */
export function provenCanonical(bytes: Uint8Array): boolean {
  try {
    return itemEnd(bytes, 0, 0) === bytes.length;
  } catch (e) {
    if (e instanceof NotProven) return false;
    throw e;
  }
}

/**
 * The bytes of the value under `key` in the top-level map of `canonical` (bytes that provenCanonical or the
 * re-encode accepted), as a view; undefined when the item is not a map of proven shapes or has no such key.
 * In canonical bytes this view is exactly the encoding of that value.
 */
export function mapValueBytes(canonical: Uint8Array, key: string): Uint8Array | undefined {
  try {
    const head = headAt(canonical, 0);
    if (head.major !== MAJOR_MAP) return undefined;
    let at = head.next;
    for (let i = 0; i < head.argument; i++) {
      const keyHead = headAt(canonical, at);
      if (keyHead.major !== MAJOR_TEXT) return undefined;
      const keyEnd = textEnd(canonical, keyHead);
      const valueEnd = itemEnd(canonical, keyEnd, 1);
      if (
        keyEnd - keyHead.next === key.length &&
        String.fromCharCode(...canonical.subarray(keyHead.next, keyEnd)) === key
      ) {
        return canonical.subarray(keyEnd, valueEnd);
      }
      at = valueEnd;
    }
    return undefined;
  } catch (e) {
    if (e instanceof NotProven) return undefined;
    throw e;
  }
}
