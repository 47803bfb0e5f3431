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
import type { BlsSigner } from '../../core/protocol/types.ts';
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
import type {
  BitcoinRecoverArgs,
  BitcoinRecovered,
  MpinLoginAnswer,
  MpinLoginArgs,
  MpinRegisterArgs,
  MpinRegistered,
  SafeguardReleaseArgs,
} from '../../worker/api/types.ts';

// The unlocked identity is the shared client's Signer: the worker builds, seals, signs and opens its envelopes.
export type { EnvelopeDraft, Signer } from '../../core/api/signer.ts';

/**
 * M-Pin, run in the worker (src/worker/api/mpin.ts): the issuers' sealed replies go in, the PIN token stays
 * there sealed under the identity; the page gets the registration's public facts and the server's verdict.
 */
export interface MpinOps {
  register(args: MpinRegisterArgs): Promise<MpinRegistered>;
  login(args: MpinLoginArgs): Promise<MpinLoginAnswer>;
  /** Moves a token a record of this page kept (before tokens lived in the worker) into the worker. */
  adoptToken(args: { readonly registration: string; readonly token: Uint8Array }): Promise<void>;
  forget(registration: string): Promise<void>;
}

/** The key a beneficiary recovers, k = f + b, checked against the committed address (the plugin's own type). */
export type { RecoveredKey };

/** The identity's secp256k1 key shares b (one per order key index); b stays in the worker. */
export interface BitcoinKeys {
  /** B = b·G, compressed (33 bytes). */
  publicKey(network: NetworkName, index: number): Promise<Uint8Array>;
  /** A "bitcoin/key" statement of B signed by the identity (the envelope's bytes). */
  keyStatement(network: NetworkName, index: number): Promise<Uint8Array>;
  /**
   * Redeems the order at its node and recovers k = f + b, all in the worker, which reads the node's replies from
   * the node itself; the address, and the key only with `reveal`.
   */
  recover(args: BitcoinRecoverArgs): Promise<BitcoinRecovered>;
}

/** A safeguarded secret from the node's sealed redemption reply, opened and checked in the worker. */
export interface SafeguardOps {
  release(args: SafeguardReleaseArgs): Promise<Uint8Array>;
}

/** What the page's openEnvelope gives for a reply whose content stays in the worker (src/worker/api/withheld.ts). */
export interface WithheldContent {
  /** The envelope's type. */
  readonly withheld: string;
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
  readonly safeguard: SafeguardOps;
  /** The unlocked identity, or undefined while the vault is locked or empty. */
  signer(): Promise<Signer | undefined>;
}
