/**
 * What the flows need from the crypto worker, as narrow interfaces: the
 * unlocked identity (signer) that builds, signs, seals and opens envelopes
 * without ever handing its private keys to the page; the public BLS checks
 * the protocol library uses to verify documents on the page; the M-Pin
 * client operations; the identity's Bitcoin key shares. worker-adapter.ts
 * implements them over the app worker (src/worker); tests implement them
 * over the core in-process.
 * @module
 */

import type { Signer } from '../../core/api/signer.ts';
import type { MpinClientArgs, MpinClientResult } from '../../core/mpin/index.ts';
import type { BlsSigner } from '../../core/protocol/types.ts';
import type { Share } from '../../core/types.ts';
import type { NetworkName } from '../../plugins/bitcoin/network.ts';
import type { RecoveredKey } from '../../plugins/bitcoin/reply.ts';
import type { ReshareProgress } from '../../plugins/custody/reshare-run.ts';
import type { RetrievalProgress } from '../../plugins/custody/retrieve.ts';
import type {
  CustodyDealOut,
  CustodyNode,
  CustodyOrderArgs,
  CustodyOrderProgress,
  CustodyPlaced,
  CustodyReshareArgs,
  CustodyReshared,
  CustodyRetrieveArgs,
  CustodyRetrieved,
} from '../../worker/api/custody.ts';

// The unlocked identity is the shared client's Signer: the worker builds, seals, signs and opens its envelopes.
export type { EnvelopeDraft, Signer } from '../../core/api/signer.ts';

/** The M-Pin client side, async because it runs in the worker. */
export interface MpinOps {
  recombineG1(shares: readonly Uint8Array[]): Promise<Uint8Array>;
  /** t-of-n: Lagrange interpolation at 0 of indexed G1 shares (docs/mpin.md#threshold). */
  recoverG1(shares: readonly Share[]): Promise<Uint8Array>;
  extractPin(id: Uint8Array, pin: number, clientSecret: Uint8Array): Promise<Uint8Array>;
  client(args: MpinClientArgs): Promise<MpinClientResult>;
}

/** The key a beneficiary recovers, k = f + b, checked against the committed address (the plugin's own type). */
export type { RecoveredKey };

/** The identity's secp256k1 key shares b (one per order key index); b stays in the worker. */
export interface BitcoinKeys {
  /** B = b·G, compressed (33 bytes). */
  publicKey(network: NetworkName, index: number): Promise<Uint8Array>;
  /** A "bitcoin/key" statement of B signed by the identity (the envelope's bytes). */
  keyStatement(network: NetworkName, index: number): Promise<Uint8Array>;
  /** k = f + b from the opened order and redemption replies, every check of the plugin's client side on the way. */
  recover(args: {
    order: string;
    network: NetworkName;
    index: number;
    orderReply: unknown;
    redeemReply: unknown;
  }): Promise<RecoveredKey>;
}

/**
 * Threshold custody, run in the worker with the unlocked identity (src/worker/api/custody.ts): the dealt key,
 * K and the shares never reach the page; progress comes back per node.
 */
export interface CustodyOps {
  order(
    args: CustodyOrderArgs,
    onProgress?: (p: CustodyOrderProgress) => void,
    beforePlacing?: (deal: CustodyDealOut) => Promise<void>,
  ): Promise<CustodyPlaced>;
  place(
    args: { readonly nodes: readonly CustodyNode[]; readonly deal: CustodyDealOut },
    onProgress?: (p: CustodyOrderProgress) => void,
  ): Promise<CustodyPlaced>;
  retrieve(args: CustodyRetrieveArgs, onProgress?: (p: RetrievalProgress) => void): Promise<CustodyRetrieved>;
  reshare(args: CustodyReshareArgs, onProgress?: (p: ReshareProgress) => void): Promise<CustodyReshared>;
}

/** Everything the flows use from the worker. */
export interface FlowsCrypto {
  readonly bls: BlsSigner;
  readonly mpin: MpinOps;
  readonly bitcoin: BitcoinKeys;
  readonly custody: CustodyOps;
  /** The unlocked identity, or undefined while the vault is locked or empty. */
  signer(): Promise<Signer | undefined>;
}
