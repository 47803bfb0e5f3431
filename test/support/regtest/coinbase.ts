/**
 * Coinbase transactions of the test chain: the block height first in the scriptSig (BIP34), the subsidy and
 * fees to the miner's script, and the segwit witness commitment (BIP141) when the block holds a witness.
 * @module
 */
import { RawTx } from '@scure/btc-signer';
import { sha256d } from '../../../src/core/anchor/hash.ts';
import { merkleRoot } from '../../../src/core/anchor/merkle.ts';
import { concat, utf8 } from '../../../src/core/bytes.ts';
import { HALVING_INTERVAL } from './network.ts';

const COIN = 100_000_000n;
const WITNESS_RESERVED = new Uint8Array(32);
const WITNESS_MAGIC = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);

/** The block subsidy at `height`: 50 BTC halved every 150 blocks. */
export function subsidy(height: number): bigint {
  const halvings = Math.floor(height / HALVING_INTERVAL);
  return halvings >= 64 ? 0n : (50n * COIN) >> BigInt(halvings);
}

/** `CScript() << height` as BIP34 wants it: OP_0, OP_1..OP_16, or a minimal little-endian number push. */
export function bip34Height(height: number): Uint8Array {
  if (height === 0) return Uint8Array.of(0x00);
  if (height <= 16) return Uint8Array.of(0x50 + height);
  const bytes: number[] = [];
  for (let v = height; v > 0; v = Math.floor(v / 256)) bytes.push(v & 0xff);
  if (bytes[bytes.length - 1]! & 0x80) bytes.push(0); // keep the number positive
  return Uint8Array.of(bytes.length, ...bytes);
}

/** The BIP141 commitment output script over the block's wtxids (the coinbase's counted as zero). */
function witnessCommitment(wtxids: readonly Uint8Array[]): Uint8Array {
  const root = merkleRoot([new Uint8Array(32), ...wtxids]);
  return concat(WITNESS_MAGIC, sha256d(concat(root, WITNESS_RESERVED)));
}

/**
 * The raw coinbase of a block at `height` paying `value` to `script`; `wtxids` are those of the block's other
 * transactions when any of them carries a witness (then the coinbase commits to them), else undefined.
 */
export function buildCoinbase(
  height: number,
  script: Uint8Array,
  value: bigint,
  wtxids: readonly Uint8Array[] | undefined,
): Uint8Array {
  const scriptSig = concat(bip34Height(height), Uint8Array.of(14), utf8('dta test chain'));
  const outputs = [{ amount: value, script }];
  if (wtxids) outputs.push({ amount: 0n, script: witnessCommitment(wtxids) });
  return RawTx.encode({
    version: 2,
    segwitFlag: wtxids !== undefined,
    inputs: [{ txid: new Uint8Array(32), index: 0xffffffff, finalScriptSig: scriptSig, sequence: 0xffffffff }],
    outputs,
    witnesses: wtxids ? [[WITNESS_RESERVED]] : undefined,
    lockTime: 0,
  });
}
