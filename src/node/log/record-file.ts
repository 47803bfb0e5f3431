/**
 * An append-only file of records that survives kill -9 and power loss: each record is
 * `u32 length ‖ u32 CRC-32 ‖ bytes` (big-endian), appended and flushed with fdatasync before `append` resolves.
 * A crash can only leave a torn tail (a record cut short, or one whose checksum does not match, because its
 * bytes never reached the disk); opening the file reads every whole record and truncates such a tail, which no
 * caller was ever told was written. Nothing already written is ever rewritten.
 * @module
 */
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';

const HEADER_BYTES = 8;
/** Largest record accepted (a log entry is a few dozen bytes; anything near this is damage, not data). */
const MAX_RECORD_BYTES = 1 << 20;

export class RecordFile {
  readonly #fh: FileHandle;
  #end: number;

  private constructor(fh: FileHandle, end: number) {
    this.#fh = fh;
    this.#end = end;
  }

  /** Opens (or creates) `file`; the records in it, oldest first, after truncating a torn tail. */
  static async open(file: string): Promise<{ file: RecordFile; records: Uint8Array[]; truncated: number }> {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await (await open(file, 'a', 0o600)).close(); // creates it; then r+, where positional writes land where asked
    const fh = await open(file, 'r+');
    try {
      const bytes = await fh.readFile();
      const { records, end } = readRecords(bytes);
      if (end < bytes.length) {
        await fh.truncate(end);
        await fh.sync();
      }
      return { file: new RecordFile(fh, end), records, truncated: bytes.length - end };
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** Appends `records` in one write and one fdatasync. */
  async append(records: readonly Uint8Array[]): Promise<void> {
    const total = records.reduce((n, r) => n + HEADER_BYTES + r.length, 0);
    const out = Buffer.allocUnsafe(total);
    let at = 0;
    for (const r of records) {
      if (r.length > MAX_RECORD_BYTES) throw new RangeError(`record file: a record of ${r.length} bytes is too large`);
      out.writeUInt32BE(r.length, at);
      out.writeUInt32BE(crc32(r), at + 4);
      out.set(r, at + HEADER_BYTES);
      at += HEADER_BYTES + r.length;
    }
    // Positional write at the known end: a failed earlier write can't leave a gap the next one would follow.
    await this.#fh.write(out, 0, out.length, this.#end);
    await this.#fh.datasync();
    this.#end += out.length;
  }

  close(): Promise<void> {
    return this.#fh.close();
  }
}

/** Whole records from the start of `bytes`, and where the last whole one ends. */
function readRecords(bytes: Buffer): { records: Uint8Array[]; end: number } {
  const records: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32BE(at);
    const start = at + HEADER_BYTES;
    if (length > MAX_RECORD_BYTES || start + length > bytes.length) break;
    const record = new Uint8Array(bytes.subarray(start, start + length));
    if (crc32(record) !== bytes.readUInt32BE(at + 4)) break;
    records.push(record);
    at = start + length;
  }
  return { records, end: at };
}
