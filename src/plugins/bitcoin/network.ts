/**
 * The Bitcoin networks an order may name, with what differs between them:
 * the bech32 human-readable part of segwit addresses (BIP-173), the
 * version bytes of BIP-32 extended keys, and the WIF/base58 prefixes that
 * @scure/btc-signer wants in its network object. Testnet and regtest share
 * everything but the bech32 prefix.
 * https://github.com/bitcoin/bips/blob/master/bip-0173.mediawiki#segwit-address-format
 * https://github.com/bitcoin/bips/blob/master/bip-0032.mediawiki#serialization-format
 * @module
 */
import { badRequest } from './errors.ts';

export const NETWORK_NAMES = ['mainnet', 'testnet', 'regtest'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

export interface Network {
  readonly name: NetworkName;
  /** Shape of @scure/btc-signer's network parameter. */
  readonly btc: {
    readonly bech32: string;
    readonly pubKeyHash: number;
    readonly scriptHash: number;
    readonly wif: number;
  };
  /** BIP-32 serialization versions: xpub/xprv on mainnet, tpub/tprv elsewhere. */
  readonly bip32: { readonly public: number; readonly private: number };
}

const MAIN_BIP32 = { public: 0x0488b21e, private: 0x0488ade4 } as const;
const TEST_BIP32 = { public: 0x043587cf, private: 0x04358394 } as const;

const NETWORKS: Readonly<Record<NetworkName, Network>> = Object.freeze({
  mainnet: { name: 'mainnet', btc: { bech32: 'bc', pubKeyHash: 0x00, scriptHash: 0x05, wif: 0x80 }, bip32: MAIN_BIP32 },
  testnet: { name: 'testnet', btc: { bech32: 'tb', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef }, bip32: TEST_BIP32 },
  regtest: {
    name: 'regtest',
    btc: { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef },
    bip32: TEST_BIP32,
  },
});

export function isNetworkName(value: unknown): value is NetworkName {
  return typeof value === 'string' && (NETWORK_NAMES as readonly string[]).includes(value);
}

/** The network called `name`; anything else (other spellings, "signet", non-strings) is refused. */
export function network(name: unknown): Network {
  if (!isNetworkName(name)) throw badRequest(`network must be one of ${NETWORK_NAMES.join(', ')}`);
  return NETWORKS[name];
}
