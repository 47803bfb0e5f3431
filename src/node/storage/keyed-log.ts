/**
 * A keyed, append-only file of records with group commit (issue 13, throughput): the order store's file. Each
 * record is `u32 length ‖ u32 CRC-32 ‖ key ‖ '\n' ‖ value` (big-endian; length and CRC over key, newline and
 * value), and the newest record of a key is its value. `put` resolves once its record is on disk: records put
 * while a flush runs share the next one (one positional write and one fdatasync for all of them), so under load
 * an order costs a share of one flush instead of a file of its own (temporary file, fsync, rename, directory
 * fsync: ~9 calls to libuv's pool and two journal commits an order).
 *
 * A crash can only leave a torn tail (a record cut short or failing its CRC: its put never resolved); opening
 * truncates it. The file is rewritten with the newest record of each key (temporary file, fdatasync, rename,
 * directory fsync) once superseded records outweigh the live ones and `compactAfter` bytes.
 * The index (key -> offset) is in memory; values are read back with positional reads.
 * @module
 */
import { constants } from 'node:fs';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { fsyncDir } from '../fsutil.ts';

const HEADER_BYTES = 8;
/** Largest record accepted (an order with its envelopes is kilobytes; anything near this is damage). */
const MAX_RECORD_BYTES = 64 << 20;
/** Bytes read at a time while scanning the file at open. */
const SCAN_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** Where a key's newest record is. */
interface Slot {
  readonly at: number;
  readonly bytes: number;
}

/** A put waiting for its flush. */
interface Queued {
  readonly key: string;
  readonly frame: Buffer;
}

/** `key` and `value` framed as one record. */
function frame(key: string, value: Uint8Array): Buffer {
  if (key.length === 0 || /[\n\0]/.test(key)) throw new TypeError('keyed log: bad key');
  const keyBytes = Buffer.from(key, 'utf8');
  const length = keyBytes.length + 1 + value.length;
  if (length > MAX_RECORD_BYTES) throw new RangeError(`keyed log: a record of ${length} bytes is too large`);
  const out = Buffer.allocUnsafe(HEADER_BYTES + length);
  out.writeUInt32BE(length, 0);
  keyBytes.copy(out, HEADER_BYTES);
  out[HEADER_BYTES + keyBytes.length] = NEWLINE;
  out.set(value, HEADER_BYTES + keyBytes.length + 1);
  out.writeUInt32BE(crc32(out.subarray(HEADER_BYTES)), 4);
  return out;
}

/** The value of a whole record of `key` (after its header, key and newline). */
function recordValue(record: Buffer, key: string): Buffer {
  return record.subarray(HEADER_BYTES + Buffer.byteLength(key) + 1);
}

/** Reads `file` sequentially through a window of SCAN_BYTES (or one record's size when larger). */
class Scanner {
  readonly fh: FileHandle;
  readonly size: number;
  #window = Buffer.alloc(0);
  #start = 0;

  constructor(fh: FileHandle, size: number) {
    this.fh = fh;
    this.size = size;
  }

  /** `n` bytes at `at` (a view of the window: valid until the next call), or undefined past the end. */
  async bytes(at: number, n: number): Promise<Buffer | undefined> {
    if (at + n > this.size) return undefined;
    if (at < this.#start || at + n > this.#start + this.#window.length) {
      const want = Math.min(Math.max(n, SCAN_BYTES), this.size - at);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await this.fh.read(buffer, 0, want, at);
      if (bytesRead < n) return undefined;
      this.#window = buffer.subarray(0, bytesRead);
      this.#start = at;
    }
    return this.#window.subarray(at - this.#start, at - this.#start + n);
  }
}

/** Calls `found` for each whole record from the start of the file; where the last whole one ends. */
async function scan(fh: FileHandle, size: number, found: (key: string, slot: Slot) => void): Promise<number> {
  const scanner = new Scanner(fh, size);
  let at = 0;
  for (;;) {
    const header = await scanner.bytes(at, HEADER_BYTES);
    if (!header) return at;
    const length = header.readUInt32BE(0);
    const crc = header.readUInt32BE(4);
    if (length > MAX_RECORD_BYTES) return at;
    const body = await scanner.bytes(at + HEADER_BYTES, length);
    if (!body || crc32(body) !== crc) return at;
    const newline = body.indexOf(NEWLINE);
    if (newline < 1) return at;
    found(body.toString('utf8', 0, newline), { at, bytes: HEADER_BYTES + length });
    at += HEADER_BYTES + length;
  }
}

export interface KeyedLogOptions {
  /** Rewrite the file once its superseded records exceed both its live ones and this many bytes (default 64 MiB). */
  readonly compactAfter?: number;
}

export class KeyedLog {
  readonly #file: string;
  readonly #compactAfter: number;
  readonly #slots = new Map<string, Slot>();
  #fh: FileHandle;
  #end: number;
  /** Bytes of the newest record of each key. */
  #live = 0;
  /** A batch failed after its write may have landed: the file is cut back to the end before the next one. */
  #failed = false;
  #queued: Queued[] = [];
  #next: Promise<void> | undefined;
  #writing: Promise<void> | undefined;

  private constructor(file: string, fh: FileHandle, compactAfter: number) {
    this.#file = file;
    this.#fh = fh;
    this.#end = 0;
    this.#compactAfter = compactAfter;
  }

  /** Opens (or creates) the log at `file`, truncating a torn tail. */
  static async open(file: string, options: KeyedLogOptions = {}): Promise<KeyedLog> {
    await rm(`${file}.compact`, { force: true }); // a rewrite a crash interrupted: the file itself is whole
    const fh = await open(file, constants.O_RDWR | constants.O_CREAT, 0o600);
    const log = new KeyedLog(file, fh, options.compactAfter ?? 64 << 20);
    try {
      const { size } = await fh.stat();
      log.#end = await scan(fh, size, (key, slot) => log.#index(key, slot));
      if (log.#end < size) {
        await fh.truncate(log.#end);
        await fh.sync();
      }
      if (size === 0) await fsyncDir(dirname(file)); // a new file: its name made durable before any put relies on it
    } catch (err) {
      await fh.close();
      throw err;
    }
    return log;
  }

  /** The newest value of each key in `file` as it is now, read only (a writer may be appending: a torn tail is left). */
  static async entriesIn(file: string): Promise<Map<string, Uint8Array>> {
    const fh = await open(file, 'r');
    try {
      const slots = new Map<string, Slot>();
      await scan(fh, (await fh.stat()).size, (key, slot) => slots.set(key, slot));
      const entries = new Map<string, Uint8Array>();
      for (const [key, slot] of slots) {
        const record = Buffer.allocUnsafe(slot.bytes);
        await fh.read(record, 0, slot.bytes, slot.at);
        entries.set(key, recordValue(record, key));
      }
      return entries;
    } finally {
      await fh.close();
    }
  }

  #index(key: string, slot: Slot): void {
    this.#live += slot.bytes - (this.#slots.get(key)?.bytes ?? 0);
    this.#slots.set(key, slot);
  }

  /** Every key, in no particular order. */
  keys(): string[] {
    return [...this.#slots.keys()];
  }

  has(key: string): boolean {
    return this.#slots.has(key);
  }

  /** The newest value of `key`, or undefined. */
  async get(key: string): Promise<Uint8Array | undefined> {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    const fh = this.#fh; // a compaction may swap it meanwhile: the old handle stays open until its reads end
    const record = Buffer.allocUnsafe(slot.bytes);
    const { bytesRead } = await fh.read(record, 0, slot.bytes, slot.at);
    if (bytesRead !== slot.bytes || crc32(record.subarray(HEADER_BYTES)) !== record.readUInt32BE(4))
      throw new Error(`keyed log: the record of ${key} does not read back`);
    return recordValue(record, key);
  }

  /** Appends `value` as the newest of `key`; resolves once it is on disk (sharing a flush with concurrent puts). */
  put(key: string, value: Uint8Array): Promise<void> {
    this.#queued.push({ key, frame: frame(key, value) });
    this.#next ??= (async () => {
      await this.#writing?.catch(() => undefined);
      const batch = this.#queued;
      this.#queued = [];
      this.#next = undefined;
      this.#writing = this.#write(batch);
      await this.#writing;
    })();
    return this.#next;
  }

  /** One positional write at the known end (a failed earlier write leaves no gap) and one fdatasync. */
  async #write(batch: readonly Queued[]): Promise<void> {
    const out = batch.length === 1 ? batch[0]!.frame : Buffer.concat(batch.map((q) => q.frame));
    if (this.#failed) {
      // Whole records of a batch whose put was refused may be past the end: cut them, or a reopen would read them.
      await this.#fh.truncate(this.#end);
      this.#failed = false;
    }
    try {
      await this.#fh.write(out, 0, out.length, this.#end);
      await this.#fh.datasync();
    } catch (err) {
      this.#failed = true;
      throw err;
    }
    for (const { key, frame } of batch) {
      this.#index(key, { at: this.#end, bytes: frame.length });
      this.#end += frame.length;
    }
    // The batch is durable whatever a rewrite does: one that fails leaves the file whole, and the next batch retries.
    if (this.#end - this.#live > Math.max(this.#live, this.#compactAfter)) await this.#compact().catch(() => undefined);
  }

  /** Rewrites the file with the newest record of each key (runs between flushes: no put lands meanwhile). */
  async #compact(): Promise<void> {
    const tmp = join(dirname(this.#file), `${basename(this.#file)}.compact`);
    const out = await open(tmp, 'w+', 0o600); // read too: it becomes the log
    const slots = new Map<string, Slot>();
    let end = 0;
    try {
      for (const [key, slot] of [...this.#slots].sort((a, b) => a[1].at - b[1].at)) {
        const record = Buffer.allocUnsafe(slot.bytes);
        await this.#fh.read(record, 0, slot.bytes, slot.at);
        await out.write(record, 0, slot.bytes, end);
        slots.set(key, { at: end, bytes: slot.bytes });
        end += slot.bytes;
      }
      await out.datasync();
      await rename(tmp, this.#file);
    } catch (err) {
      await out.close();
      await rm(tmp, { force: true });
      throw err;
    }
    const old = this.#fh; // from here on the name holds the new file: the next puts must land there
    this.#fh = out;
    this.#end = end;
    this.#slots.clear();
    for (const [key, slot] of slots) this.#slots.set(key, slot);
    await old.close(); // waits for reads still running on it
    await fsyncDir(dirname(this.#file));
  }

  /** Waits for the puts under way, then closes the file. */
  async close(): Promise<void> {
    await this.#next?.catch(() => undefined);
    await this.#writing?.catch(() => undefined);
    await this.#fh.close();
  }
}
