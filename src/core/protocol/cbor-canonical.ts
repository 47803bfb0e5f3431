/**
 * A one-pass DAG-CBOR decoder that proves the bytes canonical as it reads
 * them, without encoding the value again, for the shapes protocol documents
 * use: integers in the safe range, byte strings, ASCII text, arrays, maps
 * with text keys, CIDv1 links (tag 42), false, true and null. Every head
 * must be the shortest for its argument and of definite length, map keys
 * must rise strictly in DAG-CBOR's order (shorter first, then bytewise), and
 * nothing may follow the item.
 *
 * It only ever answers "proven canonical, and here is the value" or "not
 * proven": anything it does not model (floats, non-ASCII text, big
 * integers, other tags, deep nesting) is "not proven", and cbor.ts then
 * takes @ipld/dag-cbor's decoder and the full re-encode, which give the same
 * verdict and the same error as before. So a fast accept is the only new
 * outcome, and it is sound: bytes accepted here are exactly what
 * @ipld/dag-cbor writes for the value it decodes from them, and the value is
 * the one it decodes (plain objects and arrays, numbers, byte strings as
 * copies, CIDs); test/protocol/cbor-canonical.test.ts checks both, fuzzed.
 * Specified in docs/protocol.md#dag-cbor-and-cids.
 * @module
 */
import { CID } from 'multiformats/cid';

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
const SIMPLE_VALUES: Record<number, boolean | null> = { 20: false, 21: true, 22: null };

/** Thrown inside the reading when the bytes are not proven canonical; never leaves this module. */
class NotProven extends Error {}

/** The bytes and the offset of the next unread byte. */
interface Reader {
  readonly bytes: Uint8Array;
  at: number;
}

/** Reads the head at the cursor, refused unless it is definite and as short as its argument allows. */
function readHead(r: Reader): { major: number; argument: number } {
  const { bytes, at } = r;
  if (at >= bytes.length) throw new NotProven();
  const major = bytes[at]! >> 5;
  const info = bytes[at]! & 0x1f;
  if (info < 24) {
    r.at = at + 1;
    return { major, argument: info };
  }
  if (info > 27) throw new NotProven(); // reserved, or indefinite length
  const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes
  if (at + 1 + size > bytes.length) throw new NotProven();
  let argument = 0;
  for (let i = 1; i <= size; i++) argument = argument * 256 + bytes[at + i]!;
  const shortest = info === 24 ? 24 : 2 ** (8 * (size >> 1)); // the smallest argument this size is for
  if (argument < shortest || argument > MAX_ARGUMENT) throw new NotProven();
  r.at = at + 1 + size;
  return { major, argument };
}

/** Moves the cursor past `length` bytes, which must be there; returns where they start. */
function take(r: Reader, length: number): number {
  if (length > r.bytes.length - r.at) throw new NotProven();
  r.at += length;
  return r.at - length;
}

/** ASCII text of `length` bytes (non-ASCII is left to the other path, which checks UTF-8). */
function readText(r: Reader, length: number): string {
  const start = take(r, length);
  let text = '';
  for (let i = start; i < r.at; i++) {
    const c = r.bytes[i]!;
    if (c >= 0x80) throw new NotProven();
    text += String.fromCharCode(c);
  }
  return text;
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

/** Tag 42's content: a byte string 0x00 || CIDv1 with minimal varints and a digest of exactly its stated size. */
function readCid(r: Reader): CID {
  const head = readHead(r);
  if (head.major !== MAJOR_BYTES) throw new NotProven();
  const start = take(r, head.argument);
  const { bytes, at: end } = r;
  if (end - start < 2 || bytes[start] !== 0x00 || bytes[start + 1] !== 0x01) throw new NotProven();
  const hashCodeAt = varintEnd(bytes, start + 2, end); // past the codec
  const lengthAt = varintEnd(bytes, hashCodeAt, end); // past the hash function code
  const digestAt = varintEnd(bytes, lengthAt, end);
  if (digestAt - lengthAt !== 1 || digestAt + bytes[lengthAt]! !== end) throw new NotProven();
  // As @ipld/dag-cbor does: a copy of the byte string, the CID read from it past the 0x00.
  return CID.decode(bytes.slice(start + 1, end));
}

/** A map of `count` entries: text keys in strictly rising order, each followed by its value. */
function readMap(r: Reader, count: number, depth: number): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  let previous = '';
  for (let i = 0; i < count; i++) {
    const head = readHead(r);
    if (head.major !== MAJOR_TEXT) throw new NotProven();
    const key = readText(r, head.argument);
    // ASCII keys: the byte order is the string order. The decoder treats __proto__ apart: left to it.
    const rises = i === 0 || key.length > previous.length || (key.length === previous.length && key > previous);
    if (!rises || key === '__proto__') throw new NotProven();
    map[key] = readItem(r, depth + 1);
    previous = key;
  }
  return map;
}

/** The item at the cursor, moving past it; throws NotProven for anything not proven canonical. */
function readItem(r: Reader, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new NotProven();
  const start = r.at;
  const { major, argument } = readHead(r);
  switch (major) {
    case MAJOR_UINT:
      return argument;
    case MAJOR_NEGINT:
      if (argument > MAX_ARGUMENT - 1) throw new NotProven();
      return -1 - argument;
    case MAJOR_BYTES: {
      const at = take(r, argument);
      return r.bytes.slice(at, r.at);
    }
    case MAJOR_TEXT:
      return readText(r, argument);
    case MAJOR_ARRAY: {
      const list: unknown[] = [];
      for (let i = 0; i < argument; i++) list.push(readItem(r, depth + 1));
      return list;
    }
    case MAJOR_MAP:
      return readMap(r, argument, depth);
    case MAJOR_TAG:
      if (argument !== CID_TAG) throw new NotProven();
      return readCid(r);
    case MAJOR_SIMPLE:
      // false, true, null; floats and undefined (which the decoder turns into null) go to the other path.
      if (!(argument in SIMPLE_VALUES) || r.at !== start + 1) throw new NotProven();
      return SIMPLE_VALUES[argument];
    default:
      throw new NotProven();
  }
}

/** Moves the cursor past the item there, building nothing (for bytes already accepted as canonical). */
function skipItem(r: Reader): void {
  const { major, argument } = readHead(r);
  if (major === MAJOR_BYTES || major === MAJOR_TEXT) take(r, argument);
  else if (major === MAJOR_ARRAY) for (let i = 0; i < argument; i++) skipItem(r);
  else if (major === MAJOR_MAP) for (let i = 0; i < 2 * argument; i++) skipItem(r);
  else if (major === MAJOR_TAG) skipItem(r);
}

/** Runs `read` over the bytes; undefined when they are not proven canonical. */
function attempt<T>(bytes: Uint8Array, read: (r: Reader) => T): T | undefined {
  // A plain view, as the decoder reads a Buffer: slices of it are then plain copies.
  const r: Reader = { bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: 0 };
  try {
    return read(r);
  } catch (e) {
    if (e instanceof NotProven) return undefined;
    throw e;
  }
}

/**
 * The value of `bytes` in a box when they are proven to be one canonical DAG-CBOR item of the modelled shapes;
 * undefined means "not proven" (maybe canonical, maybe not), never "not canonical".
 */
export function decodeProvenCanonical(bytes: Uint8Array): { value: unknown } | undefined {
  return attempt(bytes, (r) => {
    const value = readItem(r, 0);
    if (r.at !== bytes.length) throw new NotProven();
    return { value };
  });
}

/**
 * The bytes of the value under `key` in the top-level map of `canonical` (bytes already accepted as
 * canonical), as a view; undefined when the item is not a map with text keys, or has no such key.
 * In canonical bytes this view is exactly the encoding of that value.
 */
export function mapValueBytes(canonical: Uint8Array, key: string): Uint8Array | undefined {
  return attempt(canonical, (r) => {
    const head = readHead(r);
    if (head.major !== MAJOR_MAP) return undefined;
    for (let i = 0; i < head.argument; i++) {
      const keyHead = readHead(r);
      if (keyHead.major !== MAJOR_TEXT) return undefined;
      const found = readText(r, keyHead.argument) === key;
      const start = r.at;
      skipItem(r);
      if (found) return r.bytes.subarray(start, r.at);
    }
    return undefined;
  });
}
