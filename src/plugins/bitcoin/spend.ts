/**
 * Builds and signs a spend of outputs locked to a recombined key, with
 * @scure/btc-signer (BIP-143 ECDSA for P2WPKH, BIP-341 key-path Schnorr with
 * the BIP-86 tweak for P2TR). The result is checked by verify.ts before it
 * is returned, so a caller never broadcasts something our own independent
 * checks reject.
 * @module
 */
import { Transaction } from '@scure/btc-signer';
import { fromHex, toHex } from '../../core/bytes.ts';
import { type AddressType, addressToScript, outputScript } from './address.ts';
import { badRequest } from './errors.ts';
import { Point, parseSecret } from './keys.ts';
import { type NetworkName, network } from './network.ts';
import { taprootKeys } from './taproot.ts';
import type { TxOutput } from './tx.ts';
import { verifySpend } from './verify.ts';

export interface Utxo {
  readonly txid: string; // 64 hex digits, display order (as explorers show it)
  readonly vout: number;
  readonly amount: bigint; // satoshis
}

export interface SpendOptions {
  readonly privateKey: Uint8Array; // the recombined key k = f + b
  readonly addressType: AddressType; // the type of the outputs being spent
  readonly network: NetworkName;
  readonly utxos: readonly Utxo[];
  readonly to: string;
  readonly amount: bigint;
  readonly fee: bigint;
  /** Where the rest goes (default: back to the same address); no change output when nothing is left. */
  readonly change?: string;
}

export interface SignedSpend {
  readonly hex: string;
  readonly txid: string;
  readonly vsize: number;
  readonly prevouts: readonly TxOutput[];
}

const MAX_UTXOS = 500;

function checkUtxo(u: Utxo): void {
  if (typeof u.txid !== 'string' || !/^[0-9a-f]{64}$/.test(u.txid))
    throw badRequest('utxo.txid: 64 lowercase hex digits');
  if (!Number.isInteger(u.vout) || u.vout < 0 || u.vout > 0xffffffff)
    throw badRequest('utxo.vout: not an output index');
  if (typeof u.amount !== 'bigint' || u.amount <= 0n) throw badRequest('utxo.amount: a positive number of satoshis');
}

export function signSpend(o: SpendOptions): SignedSpend {
  const net = network(o.network);
  const key = Point.BASE.multiply(parseSecret(o.privateKey, 'privateKey'));
  if (o.utxos.length === 0 || o.utxos.length > MAX_UTXOS) throw badRequest(`utxos: 1 to ${MAX_UTXOS}`);
  o.utxos.forEach(checkUtxo);
  if (o.amount <= 0n || o.fee < 0n) throw badRequest('amount must be positive and fee not negative');
  const total = o.utxos.reduce((sum, u) => sum + u.amount, 0n);
  const rest = total - o.amount - o.fee;
  if (rest < 0n) throw badRequest('utxos do not cover amount and fee');
  const script = outputScript(o.addressType, key);
  const tx = new Transaction({ version: 2 });
  for (const u of o.utxos) {
    tx.addInput({
      txid: fromHex(u.txid, 'txid'),
      index: u.vout,
      witnessUtxo: { script, amount: u.amount },
      ...(o.addressType === 'p2tr' ? { tapInternalKey: taprootKeys(key).internalKey } : {}),
    });
  }
  tx.addOutput({ script: addressToScript(o.to, net, 'to'), amount: o.amount });
  if (rest > 0n)
    tx.addOutput({ script: o.change === undefined ? script : addressToScript(o.change, net, 'change'), amount: rest });
  if (tx.sign(o.privateKey) !== o.utxos.length) throw badRequest('the key does not sign every input');
  tx.finalize();
  const bytes = tx.extract();
  const prevouts = o.utxos.map((u) => ({ script, amount: u.amount }));
  verifySpend(bytes, prevouts);
  return { hex: toHex(bytes), txid: tx.id, vsize: tx.vsize, prevouts };
}
