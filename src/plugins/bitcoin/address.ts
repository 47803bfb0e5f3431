/**
 * Segwit addresses for a public key: P2WPKH (witness v0, BIP-141/173:
 * HASH160 of the compressed key, bech32) and P2TR (witness v1, BIP-341/350:
 * the BIP-86 output key, bech32m). The scripts are built here from the key;
 * @scure/btc-signer only does the bech32/bech32m text encoding.
 * https://github.com/bitcoin/bips/blob/master/bip-0141.mediawiki#p2wpkh
 * https://github.com/bitcoin/bips/blob/master/bip-0350.mediawiki
 * @module
 */

import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { Address, OutScript } from '@scure/btc-signer';
import { concat } from '../../core/bytes.ts';
import { badRequest } from './errors.ts';
import { type Point, publicKeyBytes } from './keys.ts';
import type { Network } from './network.ts';
import { taprootKeys } from './taproot.ts';

export const ADDRESS_TYPES = ['p2wpkh', 'p2tr'] as const;
export type AddressType = (typeof ADDRESS_TYPES)[number];

export function hash160(bytes: Uint8Array): Uint8Array {
  return ripemd160(sha256(bytes));
}

/** The scriptPubKey paying to `key` with the given output type. */
export function outputScript(type: AddressType, key: Point): Uint8Array {
  if (type === 'p2wpkh') return concat(Uint8Array.of(0x00, 0x14), hash160(publicKeyBytes(key))); // OP_0 <20>
  return concat(Uint8Array.of(0x51, 0x20), taprootKeys(key).outputKey); // OP_1 <32>
}

/** The address of a segwit scriptPubKey on `net`. */
function scriptToAddress(script: Uint8Array, net: Network): string {
  return Address(net.btc).encode(OutScript.decode(script));
}

export function addressOf(type: AddressType, key: Point, net: Network): string {
  return scriptToAddress(outputScript(type, key), net);
}

/** Both addresses of a key; funds sent to either are spendable with the same private key. */
export function addressesOf(key: Point, net: Network): Record<AddressType, string> {
  return { p2wpkh: addressOf('p2wpkh', key, net), p2tr: addressOf('p2tr', key, net) };
}

/**
 * The scriptPubKey of an address, checked to belong to `net` (its bech32
 * prefix, or base58 version byte) with a valid checksum. Any standard type
 * is accepted as a destination.
 */
export function addressToScript(address: unknown, net: Network, field = 'address'): Uint8Array {
  if (typeof address !== 'string' || address.length === 0 || address.length > 90)
    throw badRequest(`${field}: not an address`);
  try {
    return OutScript.encode(Address(net.btc).decode(address));
  } catch {
    throw badRequest(`${field}: not a valid ${net.name} address`);
  }
}
