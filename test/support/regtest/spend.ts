/**
 * The checks the test chain makes before it accepts a transaction into its mempool, as a node would: every
 * input spends a known, unspent, mature output with a valid signature, and the outputs spend no more than the
 * inputs. Signatures are checked for P2WPKH (ECDSA, BIP143) and P2TR key-path (Schnorr, BIP341) spends, the
 * two kinds a wallet or the dta node produces; any other kind of input is refused as unsupported.
 * @module
 */

import { schnorr, secp256k1 } from '@noble/curves/secp256k1.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { OutScript, Transaction as ScureTx } from '@scure/btc-signer';
import type { Transaction } from '../../../src/core/anchor/tx.ts';
import { equalBytes } from '../../../src/core/bytes.ts';

/** An output as the chain tracks it. */
export interface Coin {
  readonly value: bigint;
  readonly script: Uint8Array;
  /** Height of the block that made it, undefined while in the mempool. */
  readonly height: number | undefined;
  readonly coinbase: boolean;
}

/** A refused transaction: the message is what `POST /tx` answers with status 400. */
export class SpendError extends Error {
  override name = 'SpendError';
}

const MAX_MONEY = 21_000_000n * 100_000_000n;
const MAX_OP_RETURN_SCRIPT = 83;

/** Throws SpendError unless `tx` (also given raw) may enter the mempool; returns its fee. */
export function checkSpend(
  raw: Uint8Array,
  tx: Transaction,
  coins: readonly (Coin | undefined)[],
  nextHeight: number,
  maturity: number,
): bigint {
  const spent = new Set(tx.inputs.map((i) => `${i.prevTxid.join()}:${i.vout}`));
  if (spent.size !== tx.inputs.length) throw new SpendError('the transaction spends one output twice');
  coins.forEach((coin, i) => {
    if (!coin) throw new SpendError(`input ${i}: spends an unknown or already spent output`);
    if (coin.coinbase && (coin.height === undefined || nextHeight - coin.height < maturity)) {
      throw new SpendError(`input ${i}: spends a coinbase output before ${maturity} confirmations`);
    }
  });
  const known = coins as readonly Coin[];
  for (const o of tx.outputs) {
    if (o.value > MAX_MONEY) throw new SpendError('an output above 21 million BTC');
    if (o.script[0] === 0x6a && o.script.length > MAX_OP_RETURN_SCRIPT) {
      throw new SpendError(`an OP_RETURN script of ${o.script.length} bytes (the standard limit is 83)`);
    }
  }
  const fee = known.reduce((s, c) => s + c.value, 0n) - tx.outputs.reduce((s, o) => s + o.value, 0n);
  if (fee < 0n) throw new SpendError('the outputs spend more than the inputs');
  checkSignatures(raw, tx, known);
  return fee;
}

function checkSignatures(raw: Uint8Array, tx: Transaction, coins: readonly Coin[]): void {
  let scure: ScureTx;
  try {
    scure = ScureTx.fromRaw(raw, { allowUnknownOutputs: true, allowUnknownInputs: true, disableScriptCheck: true });
  } catch {
    throw new SpendError('the transaction cannot be read for signature checks');
  }
  tx.inputs.forEach((input, i) => {
    const coin = coins[i]!;
    if (input.script.length !== 0) throw new SpendError(`input ${i}: a witness spend must have an empty scriptSig`);
    const p2wpkh = coin.script[0] === 0x00 && coin.script[1] === 0x14 && coin.script.length === 22;
    const taproot = coin.script[0] === 0x51 && coin.script[1] === 0x20 && coin.script.length === 34;
    if (p2wpkh) checkP2wpkh(scure, i, input.witness, coin);
    else if (taproot) checkTaprootKeyPath(scure, i, input.witness, coins);
    else throw new SpendError(`input ${i}: unsupported output type (the test chain checks P2WPKH and P2TR key paths)`);
  });
}

function checkP2wpkh(tx: ScureTx, i: number, witness: readonly Uint8Array[], coin: Coin): void {
  const [sigWithType, publicKey] = witness;
  if (witness.length !== 2 || !sigWithType || !publicKey || publicKey.length !== 33) {
    throw new SpendError(`input ${i}: a P2WPKH witness is a signature and a compressed public key`);
  }
  const hash = coin.script.subarray(2);
  if (!equalBytes(ripemd160(sha256(publicKey)), hash)) throw new SpendError(`input ${i}: wrong public key`);
  const scriptCode = OutScript.encode({ type: 'pkh', hash });
  const hashType = sigWithType[sigWithType.length - 1]!;
  const digest = tx.preimageWitnessV0(i, scriptCode, hashType, coin.value);
  let ok = false;
  try {
    ok = secp256k1.verify(sigWithType.subarray(0, -1), digest, publicKey, { prehash: false, format: 'der' });
  } catch {
    ok = false;
  }
  if (!ok) throw new SpendError(`input ${i}: bad signature`);
}

function checkTaprootKeyPath(tx: ScureTx, i: number, witness: readonly Uint8Array[], coins: readonly Coin[]): void {
  const sig = witness[0];
  if (witness.length !== 1 || !sig || (sig.length !== 64 && sig.length !== 65)) {
    throw new SpendError(`input ${i}: the test chain checks P2TR key-path spends only (one signature)`);
  }
  const hashType = sig.length === 65 ? sig[64]! : 0;
  const digest = tx.preimageWitnessV1(
    i,
    coins.map((c) => c.script),
    hashType,
    coins.map((c) => c.value),
  );
  let ok = false;
  try {
    ok = schnorr.verify(sig.subarray(0, 64), digest, coins[i]!.script.subarray(2));
  } catch {
    ok = false;
  }
  if (!ok) throw new SpendError(`input ${i}: bad signature`);
}
