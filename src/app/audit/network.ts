/**
 * Which Bitcoin network the person trusts for anchors, kept on this device (localStorage: a preference, not a
 * secret). Mainnet unless they choose otherwise: a node cannot pick the network its anchors are checked on,
 * since a test chain's proof of work costs nothing.
 * @module
 */
import type { BitcoinNetwork } from '../../core/anchor/networks.ts';

const KEY = 'dta.audit.network';

export const NETWORKS: readonly { readonly value: BitcoinNetwork; readonly label: string }[] = [
  { value: 'mainnet', label: 'Bitcoin' },
  { value: 'testnet', label: 'Bitcoin testnet' },
  { value: 'signet', label: 'Bitcoin signet' },
  { value: 'regtest', label: 'regtest (a test chain)' },
];

export function trustedNetwork(): BitcoinNetwork {
  const kept = globalThis.localStorage?.getItem(KEY);
  return NETWORKS.find((n) => n.value === kept)?.value ?? 'mainnet';
}

export function keepTrustedNetwork(network: BitcoinNetwork): void {
  globalThis.localStorage?.setItem(KEY, network);
}
