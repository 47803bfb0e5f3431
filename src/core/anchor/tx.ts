/**
 * A careful reader of raw Bitcoin transactions (legacy and segwit serializations): every length checked
 * against the bytes left, compact sizes canonical, no trailing bytes. The txid is the double SHA-256 of the
 * legacy serialization (without marker, flag and witnesses), taken from the original bytes; the wtxid covers
 * them all. Also: the data pushed by OP_RETURN outputs.
 * @module
 */
import { concat } from '../bytes.ts';
import { AnchorError } from './errors.ts';
import { sha256d } from './hash.ts';

export interface TxInput {
  /** The spent transaction's id, internal byte order. */
  readonly prevTxid: Uint8Array;
  readonly vout: number;
  readonly script: Uint8Array;
  readonly sequence: number;
  readonly witness: readonly Uint8Array[];
}

export interface TxOutput {
  readonly value: bigint;
  readonly script: Uint8Array;
}

export interface Transaction {
  readonly version: number;
  readonly inputs: readonly TxInput[];
  readonly outputs: readonly TxOutput[];
  readonly locktime: number;
  /** Internal byte order; displayHex gives the usual txid. */
  readonly txid: Uint8Array;
  readonly wtxid: Uint8Array;
  /** Length of the legacy serialization (the one the txid hashes). */
  readonly strippedSize: number;
}

const OP_RETURN = 0x6a;
const MAX_TX_BYTES = 4_000_000;

/** A cursor over the bytes that throws 'malformed' on any read past the end. */
class Reader {
  at = 0;
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  take(n: number): Uint8Array {
    if (n < 0 || this.at + n > this.bytes.length) throw new AnchorError('malformed', 'transaction: truncated');
    this.at += n;
    return this.bytes.subarray(this.at - n, this.at);
  }
  u8 = (): number => this.take(1)[0]!;
  u32 = (): number => new DataView(this.take(4).slice().buffer).getUint32(0, true);
  u64 = (): bigint => new DataView(this.take(8).slice().buffer).getBigUint64(0, true);
  /** Bitcoin's CompactSize, refusing non-minimal encodings and counts larger than the bytes left. */
  size(): number {
    const first = this.u8();
    let n: number;
    if (first < 0xfd) return first;
    if (first === 0xfd) n = this.u8() | (this.u8() << 8);
    else if (first === 0xfe) n = this.u32();
    else throw new AnchorError('malformed', 'transaction: a count above 2^32');
    const least = first === 0xfd ? 0xfd : 0x10000;
    if (n < least) throw new AnchorError('malformed', 'transaction: non-canonical compact size');
    if (n > this.bytes.length - this.at) throw new AnchorError('malformed', 'transaction: count larger than its bytes');
    return n;
  }
  varBytes = (): Uint8Array => this.take(this.size());
}

/** The transaction in `raw`; AnchorError 'malformed' for anything but one complete transaction. */
export function parseTransaction(raw: Uint8Array): Transaction {
  if (!(raw instanceof Uint8Array) || raw.length > MAX_TX_BYTES) throw new AnchorError('malformed', 'transaction');
  const { tx, end } = readTransactionAt(raw, 0);
  if (end !== raw.length) throw new AnchorError('malformed', 'transaction: bytes after the end');
  return tx;
}

/** The transaction that starts at `offset` in `bytes` (a block), and the offset just after it. */
export function readTransactionAt(bytes: Uint8Array, offset: number): { tx: Transaction; end: number } {
  const r = new Reader(bytes);
  r.at = offset;
  const version = r.u32() | 0;
  const segwit = bytes[offset + 4] === 0 && bytes[offset + 5] !== undefined && bytes[offset + 5] !== 0;
  if (segwit && bytes[offset + 5] !== 1) throw new AnchorError('malformed', 'transaction: unknown segwit flag');
  if (segwit) r.take(2);
  const bodyStart = r.at;
  const ins = Array.from({ length: r.size() }, () => ({
    prevTxid: r.take(32).slice(),
    vout: r.u32(),
    script: r.varBytes().slice(),
    sequence: r.u32(),
  }));
  const outputs = Array.from({ length: r.size() }, () => ({ value: r.u64(), script: r.varBytes().slice() }));
  const bodyEnd = r.at;
  const witnesses = ins.map(() => (segwit ? Array.from({ length: r.size() }, () => r.varBytes().slice()) : []));
  if (segwit && witnesses.every((w) => w.length === 0)) {
    throw new AnchorError('malformed', 'transaction: segwit serialization without a witness');
  }
  const locktime = r.u32();
  if (ins.length === 0) throw new AnchorError('malformed', 'transaction: no inputs');
  const end = r.at;
  const stripped = concat(
    bytes.subarray(offset, offset + 4),
    bytes.subarray(bodyStart, bodyEnd),
    bytes.subarray(end - 4, end),
  );
  const tx = {
    version,
    inputs: ins.map((input, i) => ({ ...input, witness: witnesses[i]! })),
    outputs,
    locktime,
    txid: sha256d(stripped),
    wtxid: sha256d(bytes.subarray(offset, end)),
    strippedSize: stripped.length,
  };
  return { tx, end };
}

/**
 * The data of each OP_RETURN output: the bytes of every push after OP_RETURN, or undefined for an output
 * whose script after OP_RETURN is not push-only (such data carriers are not standard, and not ours).
 */
export function opReturnPushes(tx: Transaction): (readonly Uint8Array[] | undefined)[] {
  return tx.outputs.filter((o) => o.script[0] === OP_RETURN).map((o) => scriptPushes(o.script.subarray(1)));
}

/** The pushed data of a push-only script, or undefined when it holds another opcode or is truncated. */
function scriptPushes(script: Uint8Array): Uint8Array[] | undefined {
  const pushes: Uint8Array[] = [];
  const r = new Reader(script);
  try {
    while (r.at < script.length) {
      const op = r.u8();
      let n: number;
      if (op <= 0x4b) n = op;
      else if (op === 0x4c) n = r.u8();
      else if (op === 0x4d) n = r.u8() | (r.u8() << 8);
      else if (op === 0x4e) n = r.u32();
      else return undefined;
      pushes.push(r.take(n).slice());
    }
  } catch {
    return undefined;
  }
  return pushes;
}
