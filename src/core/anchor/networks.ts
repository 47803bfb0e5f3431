/**
 * What a verifier trusts per Bitcoin network: the easiest target a header may claim (the network's proof-of-
 * work limit, Bitcoin Core's chainparams `powLimit`), and a block it takes as given, the checkpoint every
 * proof's header chain starts from. The checkpoints are the genesis blocks (chainparams.cpp); a verifier that
 * wants shorter proofs passes a later block it trusts instead.
 * @module
 */
import { AnchorError } from './errors.ts';

export type BitcoinNetwork = 'mainnet' | 'testnet' | 'signet' | 'regtest';

/**
 * A block taken as given: its height, its id (display order) and, when known, its compact target, from which the
 * difficulty bounds of the headers after it are checked (difficulty.ts).
 */
export interface TrustedBlock {
  readonly height: number;
  readonly hash: string;
  readonly bits?: number;
}

export interface NetworkRules {
  readonly powLimit: bigint;
  /** Blocks per difficulty period when bits may change only at its start (mainnet, signet). */
  readonly interval: number | undefined;
  readonly genesis: TrustedBlock;
}

const RULES: Readonly<Record<BitcoinNetwork, NetworkRules>> = Object.freeze({
  mainnet: {
    powLimit: 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    interval: 2016,
    genesis: { height: 0, hash: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', bits: 0x1d00ffff },
  },
  testnet: {
    powLimit: 0x00000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    // testnet3 lets a block 20 minutes after its parent use the easiest target: no bounds to check.
    interval: undefined,
    genesis: { height: 0, hash: '000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943', bits: 0x1d00ffff },
  },
  signet: {
    powLimit: 0x00000377ae000000000000000000000000000000000000000000000000000000n,
    interval: 2016,
    genesis: { height: 0, hash: '00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6', bits: 0x1e0377ae },
  },
  regtest: {
    powLimit: 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffn,
    interval: undefined, // regtest never retargets
    genesis: { height: 0, hash: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206', bits: 0x207fffff },
  },
});

/** The rules of `network`; AnchorError 'unknown_network' for any other name. */
export function networkRules(network: unknown): NetworkRules {
  if (typeof network !== 'string' || !Object.hasOwn(RULES, network)) {
    throw new AnchorError('unknown_network', 'network: expected mainnet, testnet, signet or regtest');
  }
  return RULES[network as BitcoinNetwork];
}
