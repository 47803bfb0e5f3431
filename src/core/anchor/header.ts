/**
 * Bitcoin block headers: the 80-byte serialization, the block hash, the compact target ("bits") and the two
 * checks an SPV client makes on a header chain: each header's hash is at most the target its bits encode
 * (proof of work), and each header names the hash of the one before it (linkage).
 *
 * Not checked: difficulty retargeting (that `bits` is the value the consensus rules require at that height),
 * median-time-past and future-time rules. docs/protocol.md#bitcoin-anchors says what that leaves open.
 * @module
 */
import { equalBytes, toHex } from '../bytes.ts';
import { AnchorError } from './errors.ts';
import { displayHex, sha256d } from './hash.ts';

const HEADER_BYTES = 80;

/** A parsed header; hashes in internal byte order. */
export interface BlockHeader {
  readonly version: number;
  readonly prevHash: Uint8Array;
  readonly merkleRoot: Uint8Array;
  readonly time: number;
  readonly bits: number;
  readonly nonce: number;
  /** sha256d of the 80 bytes (internal order; displayHex gives the block id). */
  readonly hash: Uint8Array;
}

/** The header in exactly 80 bytes; AnchorError 'malformed' for any other length. */
export function parseHeader(bytes: Uint8Array): BlockHeader {
  if (!(bytes instanceof Uint8Array) || bytes.length !== HEADER_BYTES) {
    throw new AnchorError('malformed', `block header: expected ${HEADER_BYTES} bytes, got ${bytes?.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return {
    version: view.getInt32(0, true),
    prevHash: bytes.slice(4, 36),
    merkleRoot: bytes.slice(36, 68),
    time: view.getUint32(68, true),
    bits: view.getUint32(72, true),
    nonce: view.getUint32(76, true),
    hash: sha256d(bytes),
  };
}

/** The 80 bytes of a header (the test chain builds its blocks with this). */
export function serializeHeader(h: Omit<BlockHeader, 'hash'>): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  const view = new DataView(out.buffer);
  view.setInt32(0, h.version, true);
  out.set(h.prevHash, 4);
  out.set(h.merkleRoot, 36);
  view.setUint32(68, h.time, true);
  view.setUint32(72, h.bits, true);
  view.setUint32(76, h.nonce, true);
  return out;
}

/**
 * The 256-bit target a compact `bits` value encodes (Bitcoin Core's SetCompact): a 23-bit mantissa and a
 * byte exponent. AnchorError 'bad_bits' for the encodings Core refuses: negative (sign bit with a non-zero
 * mantissa), overflowing 256 bits, or zero.
 */
export function targetFromBits(bits: number): bigint {
  if (!Number.isInteger(bits) || bits < 0 || bits > 0xffffffff) {
    throw new AnchorError('bad_bits', 'bits: expected a 32-bit unsigned integer');
  }
  const exponent = bits >>> 24;
  const mantissa = bits & 0x007fffff;
  if (mantissa !== 0 && (bits & 0x00800000) !== 0) throw new AnchorError('bad_bits', `bits ${hex8(bits)}: negative`);
  const overflow =
    mantissa !== 0 && (exponent > 34 || (mantissa > 0xff && exponent > 33) || (mantissa > 0xffff && exponent > 32));
  if (overflow) throw new AnchorError('bad_bits', `bits ${hex8(bits)}: overflows 256 bits`);
  const target =
    exponent <= 3 ? BigInt(mantissa >>> (8 * (3 - exponent))) : BigInt(mantissa) << BigInt(8 * (exponent - 3));
  if (target === 0n) throw new AnchorError('bad_bits', `bits ${hex8(bits)}: zero target`);
  return target;
}

/** The header hash as the number proof of work compares (internal order is little-endian). */
export function hashValue(hash: Uint8Array): bigint {
  return BigInt(`0x${toHex(hash.slice().reverse())}`); // one conversion: much faster than 32 bigint steps
}

/**
 * Throws unless the header's hash is at most the target of its own bits, and that target is no easier than
 * `powLimit` (the network's easiest allowed target: a regtest header does not pass as a mainnet one).
 */
export function checkProofOfWork(header: BlockHeader, powLimit: bigint): void {
  const target = targetFromBits(header.bits);
  const id = displayHex(header.hash);
  if (target > powLimit) throw new AnchorError('bad_bits', `block ${id}: target easier than the network allows`);
  if (hashValue(header.hash) > target) throw new AnchorError('bad_pow', `block ${id}: hash above its target`);
}

/**
 * Checks that `headers` extend the block `prevHash` one after another, each with valid proof of work.
 * Returns the last header's hash (or `prevHash` when there are none).
 */
export function checkHeaderChain(prevHash: Uint8Array, headers: readonly BlockHeader[], powLimit: bigint): Uint8Array {
  let tip = prevHash;
  for (const header of headers) {
    if (!equalBytes(header.prevHash, tip)) {
      throw new AnchorError('bad_chain', `block ${displayHex(header.hash)} does not follow ${displayHex(tip)}`);
    }
    checkProofOfWork(header, powLimit);
    tip = header.hash;
  }
  return tip;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
