/**
 * The anchoring transaction: P2WPKH inputs from one funding address, one
 * OP_RETURN output carrying the anchor payload, and change back to the
 * funding address (left out, the fee taking it, when it would be dust).
 * The fee is `feeRate` (sat/vB) times the virtual size, estimated from the
 * largest P2WPKH witness so that a signed transaction never pays less.
 * Built with @scure/btc-signer, which refuses outputs it cannot classify
 * unless told (`allowUnknownOutputs`: an OP_RETURN is one).
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Address, OutScript, p2wpkh, Transaction } from '@scure/btc-signer';
import { anchorScript } from '../../core/anchor/payload.ts';
import { fromBase64, fromHex, toBase64, toHex } from '../../core/bytes.ts';
import type { EsploraUtxo } from './esplora.ts';

export type AnchorNetwork = 'mainnet' | 'testnet' | 'signet' | 'regtest';

/** The network parameters @scure/btc-signer wants (segwit addresses only are used here). */
function btcNetwork(name: AnchorNetwork) {
  const bech32 = name === 'mainnet' ? 'bc' : name === 'regtest' ? 'bcrt' : 'tb';
  const test = name !== 'mainnet';
  return { bech32, pubKeyHash: test ? 0x6f : 0x00, scriptHash: test ? 0xc4 : 0x05, wif: test ? 0xef : 0x80 };
}

export class AnchorTxError extends Error {
  override name = 'AnchorTxError';
  readonly code: 'insufficient_funds' | 'bad_address' | 'bad_transaction';
  constructor(code: AnchorTxError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

/** Outputs below this many satoshis are not relayed (P2WPKH dust at 3 sat/vB). */
const DUST = 294n;
/** Version, counts, lock time and the segwit marker: 10.5 vB, rounded up. */
const TX_OVERHEAD_VB = 11;
/** Outpoint, empty scriptSig, sequence, and a witness of a 72-byte signature and a 33-byte key. */
const P2WPKH_INPUT_VB = 69;
const P2WPKH_OUTPUT_VB = 31;

/** The P2WPKH address of a secp256k1 secret key. */
export function walletAddress(secretKey: Uint8Array, network: AnchorNetwork): string {
  return p2wpkh(secp256k1.getPublicKey(secretKey, true), btcNetwork(network)).address!;
}

/** The output script of a segwit `address` of `network` (BadAddress otherwise). */
function scriptOfAddress(address: string, network: AnchorNetwork): Uint8Array {
  try {
    const decoded = Address(btcNetwork(network)).decode(address);
    if (decoded.type !== 'wpkh') throw new Error('not P2WPKH');
    return OutScript.encode(decoded);
  } catch {
    throw new AnchorTxError('bad_address', `not a P2WPKH address of ${network}`);
  }
}

interface Plan {
  readonly inputs: readonly EsploraUtxo[];
  readonly change: bigint;
}

/** Largest coins first (confirmed before unconfirmed) until they pay the fee; change only if not dust. */
function plan(utxos: readonly EsploraUtxo[], opReturnBytes: number, feeRate: number): Plan {
  const coins = [...utxos].sort((a, b) => Number(b.confirmed) - Number(a.confirmed) || b.value - a.value);
  const outputVb = 9 + opReturnBytes; // amount, script length, script
  const chosen: EsploraUtxo[] = [];
  let total = 0n;
  for (const coin of coins) {
    chosen.push(coin);
    total += BigInt(coin.value);
    const base = TX_OVERHEAD_VB + P2WPKH_INPUT_VB * chosen.length + outputVb;
    const withChange = BigInt(Math.ceil((base + P2WPKH_OUTPUT_VB) * feeRate));
    if (total - withChange >= DUST) return { inputs: chosen, change: total - withChange };
    if (total >= BigInt(Math.ceil(base * feeRate))) return { inputs: chosen, change: 0n };
  }
  throw new AnchorTxError('insufficient_funds', `the funding address holds ${total} sat, too little for the fee`);
}

function unsignedTx(utxos: readonly EsploraUtxo[], payload: Uint8Array, address: string, network: AnchorNetwork) {
  return (feeRate: number) => {
    const script = anchorScript(payload);
    const fundingScript = scriptOfAddress(address, network);
    const { inputs, change } = plan(utxos, script.length, feeRate);
    const tx = new Transaction({ allowUnknownOutputs: true });
    for (const u of inputs)
      tx.addInput({ txid: u.txid, index: u.vout, witnessUtxo: { script: fundingScript, amount: BigInt(u.value) } });
    tx.addOutput({ script, amount: 0n });
    if (change > 0n) tx.addOutput({ script: fundingScript, amount: change });
    return tx;
  };
}

export interface SignedAnchorTx {
  readonly txid: string;
  readonly hex: string;
}

/** Wallet mode: the transaction spending the node's own coins, signed with its key. */
export function signedAnchorTx(
  utxos: readonly EsploraUtxo[],
  payload: Uint8Array,
  secretKey: Uint8Array,
  network: AnchorNetwork,
  feeRate: number,
): SignedAnchorTx {
  const tx = unsignedTx(utxos, payload, walletAddress(secretKey, network), network)(feeRate);
  tx.sign(secretKey);
  tx.finalize();
  return { txid: tx.id, hex: tx.hex };
}

/** PSBT mode: the unsigned transaction spending the operator's address, as a base64 PSBT (BIP-174). */
export function anchorPsbt(
  utxos: readonly EsploraUtxo[],
  payload: Uint8Array,
  address: string,
  network: AnchorNetwork,
  feeRate: number,
): string {
  return toBase64(unsignedTx(utxos, payload, address, network)(feeRate).toPSBT());
}

/**
 * The raw transaction in what an operator submits: a raw transaction in hex,
 * or a signed PSBT in base64 (finalized here when its inputs are signed).
 * Refused unless one output is exactly `script` (the anchor's OP_RETURN).
 */
export function submittedTx(text: string, script: Uint8Array): SignedAnchorTx {
  const trimmed = text.trim();
  let tx: Transaction;
  try {
    tx = /^([0-9a-fA-F]{2})+$/.test(trimmed)
      ? Transaction.fromRaw(fromHex(trimmed), { allowUnknownOutputs: true })
      : Transaction.fromPSBT(fromBase64(trimmed, 'PSBT'), { allowUnknownOutputs: true });
    if (!tx.isFinal) tx.finalize();
  } catch {
    throw new AnchorTxError('bad_transaction', 'not a signed transaction (hex) or a signed PSBT (base64)');
  }
  if (!carriesScript(tx.hex, script))
    throw new AnchorTxError('bad_transaction', "the transaction does not carry this anchor's OP_RETURN output");
  return { txid: tx.id, hex: tx.hex };
}

/** True when the raw transaction `hex` has an output of exactly `script`. */
export function carriesScript(hex: string, script: Uint8Array): boolean {
  const tx = Transaction.fromRaw(fromHex(hex), { allowUnknownOutputs: true });
  const want = toHex(script);
  return Array.from({ length: tx.outputsLength }, (_, i) => tx.getOutput(i).script).some(
    (s) => s !== undefined && toHex(s) === want,
  );
}

/** The outpoints (`txid:vout`) a raw transaction spends. */
export function spentOutpoints(hex: string): string[] {
  const tx = Transaction.fromRaw(fromHex(hex), { allowUnknownOutputs: true });
  return Array.from({ length: tx.inputsLength }, (_, i) => {
    const input = tx.getInput(i);
    return `${toHex(input.txid!)}:${input.index}`;
  });
}
