/**
 * A strict reader of serialized Bitcoin transactions (with or without the
 * segwit marker), for checking spends locally: everything the signature
 * hashes cover, and the witnesses. Integers are little-endian; counts and
 * lengths are CompactSize. Outpoints are kept in wire order (txid as hashed,
 * not the reversed display form).
 * https://github.com/bitcoin/bips/blob/master/bip-0144.mediawiki#serialization
 * @module
 */
import { badRequest } from './errors.ts';

export interface TxInput {
  readonly outpoint: Uint8Array; // 36: txid (wire order) || vout (4, LE)
  readonly scriptSig: Uint8Array;
  readonly sequence: number;
}
export interface TxOutput {
  readonly amount: bigint;
  readonly script: Uint8Array;
}
export interface ParsedTx {
  readonly version: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  readonly witnesses: readonly (readonly Uint8Array[])[]; // one stack per input (empty without the marker)
  readonly lockTime: number;
}

const MAX_ITEMS = 10_000; // far above any standard transaction; bounds allocations on garbage

class Reader {
  private at = 0;
  private readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  get done(): boolean {
    return this.at === this.bytes.length;
  }
  peek(): number {
    if (this.at >= this.bytes.length) throw badRequest('transaction: truncated');
    return this.bytes[this.at]!;
  }
  take(n: number): Uint8Array {
    if (n > this.bytes.length - this.at) throw badRequest('transaction: truncated');
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }
  u32(): number {
    const b = this.take(4);
    return (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0;
  }
  u64(): bigint {
    const b = this.take(8);
    let v = 0n;
    for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
    return v;
  }
  /** CompactSize, minimally encoded, capped at `max`. */
  size(max: number): number {
    const first = this.take(1)[0]!;
    const width = first === 0xfd ? 2 : first === 0xfe ? 4 : first === 0xff ? 8 : 0;
    if (width === 0) return this.cap(first, max);
    const b = this.take(width);
    let v = 0;
    for (let i = width - 1; i >= 0; i--) v = v * 256 + b[i]!;
    if (v < (width === 2 ? 0xfd : width === 4 ? 0x10000 : 0x100000000))
      throw badRequest('transaction: non-minimal CompactSize');
    return this.cap(v, max);
  }
  private cap(v: number, max: number): number {
    if (v > max) throw badRequest('transaction: count or length too large');
    return v;
  }
  bytesWithLength(): Uint8Array {
    return this.take(this.size(this.bytes.length));
  }
}

export function parseTx(bytes: Uint8Array): ParsedTx {
  const r = new Reader(bytes);
  const version = r.u32();
  const segwit = r.peek() === 0x00; // marker; a real input count is never 0
  if (segwit && r.take(2)[1] !== 0x01) throw badRequest('transaction: bad segwit flag');
  const inputs = Array.from({ length: r.size(MAX_ITEMS) }, () => ({
    outpoint: r.take(36),
    scriptSig: r.bytesWithLength(),
    sequence: r.u32(),
  }));
  if (inputs.length === 0) throw badRequest('transaction: no inputs');
  const outputs = Array.from({ length: r.size(MAX_ITEMS) }, () => ({ amount: r.u64(), script: r.bytesWithLength() }));
  const witnesses = segwit
    ? inputs.map(() => Array.from({ length: r.size(MAX_ITEMS) }, () => r.bytesWithLength()))
    : inputs.map(() => []);
  const lockTime = r.u32();
  if (!r.done) throw badRequest('transaction: trailing bytes');
  return { version, inputs, outputs, witnesses, lockTime };
}

/** CompactSize encoding of n. */
export function compactSize(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

export function u32le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

export function u64le(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  return out;
}
