/**
 * The regtest network of the dta test chain: address prefixes, the easiest target, the real regtest genesis
 * block, and keys and addresses for tests. Not a real network: see README.md.
 * @module
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { Address, OutScript, p2wpkh } from '@scure/btc-signer';
import { fromHex } from '../../../src/core/bytes.ts';

/** Bitcoin Core's regtest parameters (chainparams.cpp): bech32 `bcrt`, testnet base58 prefixes. */
export const REGTEST = Object.freeze({ bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, wif: 0xef });

/** Regtest's proof-of-work limit as compact bits: a block needs about two nonce tries. */
export const REGTEST_BITS = 0x207fffff;

/** Blocks between subsidy halvings on regtest (150, not mainnet's 210,000). */
export const HALVING_INTERVAL = 150;

/** Confirmations before a coinbase output may be spent. */
export const COINBASE_MATURITY = 100;

/** What `GET /network` answers and the `x-test-chain` header says on every reply. */
export const TEST_CHAIN_NAME = 'regtest (dta test chain)';

/**
 * The genesis block's only transaction, as in every Bitcoin network (the "Chancellor on brink" coinbase);
 * its txid is the genesis Merkle root.
 */
export const GENESIS_COINBASE = fromHex(
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff4d04ffff001d0104455468652054' +
    '696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e206272696e6b206f66207365636f6e64206261696c6f7574' +
    '20666f722062616e6b73ffffffff0100f2052a01000000434104678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea' +
    '1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5fac00000000',
);

/** Regtest genesis header fields other than the Merkle root (chainparams.cpp, CRegTestParams). */
export const GENESIS = Object.freeze({ version: 1, time: 1296688602, bits: REGTEST_BITS, nonce: 2 });

/** The regtest genesis block id (display order), the trusted checkpoint at height 0. */
export const GENESIS_ID = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';

/** A secp256k1 key with its P2WPKH regtest address, for tests. */
export interface RegtestKey {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly address: string;
  readonly script: Uint8Array;
}

/** A fresh random key and its `bcrt1q…` address. */
export function regtestKey(secretKey = secp256k1.utils.randomSecretKey()): RegtestKey {
  const publicKey = secp256k1.getPublicKey(secretKey, true);
  const pay = p2wpkh(publicKey, REGTEST);
  return { secretKey, publicKey, address: pay.address!, script: pay.script };
}

/** The output script an address pays to; throws on an address that is not regtest. */
export const addressScript = (address: string): Uint8Array => OutScript.encode(Address(REGTEST).decode(address));

/** The regtest address of an output script, or undefined (OP_RETURN, non-standard). */
export function scriptAddress(script: Uint8Array): string | undefined {
  try {
    return Address(REGTEST).encode(OutScript.decode(script));
  } catch {
    return undefined;
  }
}
