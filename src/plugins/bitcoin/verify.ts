/**
 * Checks a signed spend without a Bitcoin node: every input must spend a
 * native P2WPKH or P2TR output with an empty scriptSig and a witness that
 * satisfies it — for P2WPKH [DER ECDSA signature || SIGHASH_ALL, key] with
 * HASH160(key) equal to the program and a low-S signature (BIP-146); for
 * P2TR a 64-byte (SIGHASH_DEFAULT) or 65-byte (SIGHASH_ALL) BIP-340
 * signature valid for the output key. Digests come from sighash.ts.
 * https://github.com/bitcoin/bips/blob/master/bip-0141.mediawiki#witness-program
 * https://github.com/bitcoin/bips/blob/master/bip-0341.mediawiki#script-validation-rules
 * @module
 */
import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { concat, equalBytes } from '../../core/bytes.ts';
import { hash160 } from './address.ts';
import { BitcoinError } from './errors.ts';
import { bip143SighashAll, bip341KeyPathSighash, SIGHASH_ALL } from './sighash.ts';
import { type ParsedTx, parseTx, type TxOutput } from './tx.ts';

function fail(index: number, why: string): never {
  throw new BitcoinError('mismatch', `input ${index}: ${why}`);
}

function verifyP2wpkh(tx: ParsedTx, index: number, prevout: TxOutput): void {
  const witness = tx.witnesses[index]!;
  if (witness.length !== 2) fail(index, 'a P2WPKH witness has two items');
  const [sig, key] = witness as [Uint8Array, Uint8Array];
  if (key.length !== 33 || !equalBytes(hash160(key), prevout.script.subarray(2)))
    fail(index, 'the key does not hash to the program');
  if (sig.length < 9 || sig[sig.length - 1] !== SIGHASH_ALL) fail(index, 'the signature is not SIGHASH_ALL');
  const scriptCode = concat(Uint8Array.of(0x76, 0xa9, 0x14), prevout.script.subarray(2), Uint8Array.of(0x88, 0xac));
  const digest = bip143SighashAll(tx, index, scriptCode, prevout.amount);
  let ok = false;
  try {
    ok = secp256k1.verify(sig.subarray(0, -1), digest, key, { prehash: false, format: 'der', lowS: true });
  } catch {
    ok = false;
  }
  if (!ok) fail(index, 'the ECDSA signature does not verify');
}

function verifyP2tr(tx: ParsedTx, index: number, prevouts: readonly TxOutput[]): void {
  const witness = tx.witnesses[index]!;
  if (witness.length !== 1) fail(index, 'a P2TR key-path witness has one item (no annex, no script path)');
  const sig = witness[0]!;
  if (sig.length !== 64 && !(sig.length === 65 && sig[64] === SIGHASH_ALL))
    fail(index, 'not a 64-byte or SIGHASH_ALL 65-byte signature');
  const digest = bip341KeyPathSighash(tx, index, prevouts, sig.length === 64 ? 0x00 : SIGHASH_ALL);
  if (!schnorr.verify(sig.subarray(0, 64), digest, prevouts[index]!.script.subarray(2)))
    fail(index, 'the Schnorr signature does not verify');
}

const isP2wpkh = (s: Uint8Array): boolean => s.length === 22 && s[0] === 0x00 && s[1] === 0x14;
const isP2tr = (s: Uint8Array): boolean => s.length === 34 && s[0] === 0x51 && s[1] === 0x20;

/** Throws unless every input of `txBytes` validly spends the matching entry of `prevouts`. Returns the parsed transaction. */
export function verifySpend(txBytes: Uint8Array, prevouts: readonly TxOutput[]): ParsedTx {
  const tx = parseTx(txBytes);
  if (prevouts.length !== tx.inputs.length) throw new BitcoinError('mismatch', 'one spent output per input is needed');
  const totalIn = prevouts.reduce((sum, p) => sum + p.amount, 0n);
  const totalOut = tx.outputs.reduce((sum, o) => sum + o.amount, 0n);
  if (totalOut > totalIn) throw new BitcoinError('mismatch', 'outputs exceed inputs');
  tx.inputs.forEach((input, index) => {
    const prevout = prevouts[index]!;
    if (input.scriptSig.length !== 0) fail(index, 'native segwit inputs have an empty scriptSig');
    if (isP2wpkh(prevout.script)) verifyP2wpkh(tx, index, prevout);
    else if (isP2tr(prevout.script)) verifyP2tr(tx, index, prevouts);
    else fail(index, 'only P2WPKH and P2TR outputs are checked');
  });
  return tx;
}
