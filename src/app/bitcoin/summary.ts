/**
 * The public summary of a bitcoin order reply, as the app stores and lists it: the address and the public
 * keys the reply was verified with (hex). Never a share.
 * @module
 */
import { toHex } from '../../core/bytes.ts';
import type { NetworkName } from '../../plugins/bitcoin/network.ts';
import type { OrderReply } from '../../plugins/bitcoin/schema.ts';
import type { OrderRecord } from '../orders/model.ts';

export interface BitcoinSummary {
  readonly kind: 'bitcoin';
  readonly network: NetworkName;
  readonly addressType: string;
  readonly address: string;
  readonly addresses: { readonly p2wpkh: string; readonly p2tr: string };
  readonly fiduciaryPublicKey: string; // hex
  readonly beneficiaryPublicKey: string;
  readonly publicKey: string;
  readonly commitment: string;
}

declare module '../orders/model.ts' {
  interface OrderSummaries {
    bitcoin: BitcoinSummary;
  }
}

/** The summary of a verified order reply. */
export function bitcoinSummary(r: OrderReply): BitcoinSummary {
  return {
    kind: 'bitcoin',
    network: r.network,
    addressType: r.addressType,
    address: r.address,
    addresses: { p2wpkh: r.addresses.p2wpkh, p2tr: r.addresses.p2tr },
    fiduciaryPublicKey: toHex(r.fiduciaryPublicKey),
    beneficiaryPublicKey: toHex(r.beneficiaryPublicKey),
    publicKey: toHex(r.publicKey),
    commitment: toHex(r.commitment),
  };
}

/** The order's bitcoin summary, when it has one. */
export function bitcoinSummaryOf(o: Pick<OrderRecord, 'summary'>): BitcoinSummary | undefined {
  return o.summary?.kind === 'bitcoin' ? o.summary : undefined;
}
