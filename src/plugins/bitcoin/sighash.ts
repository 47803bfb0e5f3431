/**
 * Signature hashes of segwit inputs, written from the BIPs so that spends
 * signed by @scure/btc-signer are checked by independent code:
 *  - BIP-143 (witness v0), SIGHASH_ALL only;
 *  - BIP-341 (witness v1) key path, SIGHASH_DEFAULT or SIGHASH_ALL, no annex.
 * Other hash types are refused: the plugin's spends never use them.
 * https://github.com/bitcoin/bips/blob/master/bip-0143.mediawiki#specification
 * https://github.com/bitcoin/bips/blob/master/bip-0341.mediawiki#common-signature-message
 * @module
 */
import { schnorr } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concat } from '../../core/bytes.ts';
import { badRequest } from './errors.ts';
import { compactSize, type ParsedTx, type TxOutput, u32le, u64le } from './tx.ts';

const SIGHASH_DEFAULT = 0x00;
export const SIGHASH_ALL = 0x01;

const sha256d = (b: Uint8Array): Uint8Array => sha256(sha256(b));
const scriptWithLength = (s: Uint8Array): Uint8Array => concat(compactSize(s.length), s);
const serializeOutput = (o: TxOutput): Uint8Array => concat(u64le(o.amount), scriptWithLength(o.script));

function inputAt(tx: ParsedTx, index: number) {
  const input = tx.inputs[index];
  if (!input) throw badRequest('sighash: no such input');
  return input;
}

/** BIP-143 digest for SIGHASH_ALL; `scriptCode` as the BIP gives it (for P2WPKH: the P2PKH script of the key hash). */
export function bip143SighashAll(tx: ParsedTx, index: number, scriptCode: Uint8Array, amount: bigint): Uint8Array {
  const input = inputAt(tx, index);
  const hashPrevouts = sha256d(concat(...tx.inputs.map((i) => i.outpoint)));
  const hashSequence = sha256d(concat(...tx.inputs.map((i) => u32le(i.sequence))));
  const hashOutputs = sha256d(concat(...tx.outputs.map(serializeOutput)));
  return sha256d(
    concat(
      u32le(tx.version),
      hashPrevouts,
      hashSequence,
      input.outpoint,
      scriptWithLength(scriptCode),
      u64le(amount),
      u32le(input.sequence),
      hashOutputs,
      u32le(tx.lockTime),
      u32le(SIGHASH_ALL),
    ),
  );
}

/** BIP-341 key-path digest (ext_flag 0, no annex) for SIGHASH_DEFAULT or SIGHASH_ALL; `prevouts` are every input's spent output. */
export function bip341KeyPathSighash(
  tx: ParsedTx,
  index: number,
  prevouts: readonly TxOutput[],
  hashType: number,
): Uint8Array {
  inputAt(tx, index);
  if (hashType !== SIGHASH_DEFAULT && hashType !== SIGHASH_ALL)
    throw badRequest('sighash: only SIGHASH_DEFAULT and SIGHASH_ALL are supported');
  if (prevouts.length !== tx.inputs.length) throw badRequest('sighash: one spent output per input is needed');
  return schnorr.utils.taggedHash(
    'TapSighash',
    concat(
      Uint8Array.of(0x00, hashType), // epoch 0, hash_type
      u32le(tx.version),
      u32le(tx.lockTime),
      sha256(concat(...tx.inputs.map((i) => i.outpoint))),
      sha256(concat(...prevouts.map((p) => u64le(p.amount)))),
      sha256(concat(...prevouts.map((p) => scriptWithLength(p.script)))),
      sha256(concat(...tx.inputs.map((i) => u32le(i.sequence)))),
      sha256(concat(...tx.outputs.map(serializeOutput))), // SIGHASH_ALL (and DEFAULT) commit to every output
      Uint8Array.of(0x00), // spend_type: key path, no annex
      u32le(index),
    ),
  );
}
