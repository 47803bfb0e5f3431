/**
 * The group a DKG or a resharing runs in, as the engine sees it: scalars (secrets, shares) and points
 * (commitments, public shares, the group key), both as fixed-size byte strings. Two implementations:
 * BLS12-381 G1 over the core's `vss` (bls-group.ts, constant time in WebAssembly) and secp256k1 over
 * @noble/curves (secp256k1-group.ts, as the Bitcoin plugin does). The engine never sees a curve type.
 * @module
 */
import type { Share } from '../types.ts';

export type { Share } from '../types.ts';

/** The names a session document may carry. */
export type GroupName = 'bls12-381' | 'secp256k1';

/** A Feldman dealing: shares f(1..n) and commitments C_j = a_j·G (j = 0..t−1). */
export interface Dealing {
  readonly shares: Share[];
  readonly commitments: Uint8Array[];
}

export interface DkgGroup {
  readonly name: GroupName;
  /** Bytes of a scalar (32 on both groups). */
  readonly scalarBytes: number;
  /** Bytes of a compressed point (48 on BLS12-381 G1, 33 on secp256k1). */
  readonly pointBytes: number;
  /** A uniformly random nonzero scalar. */
  random(): Uint8Array;
  /** True when `s` is a canonical scalar (right length, below the group order). */
  isScalar(s: Uint8Array): boolean;
  /** t-of-n shares of `secret` and the t commitments to the polynomial's coefficients. */
  deal(secret: Uint8Array, t: number, n: number): Dealing;
  /**
   * True when every commitment is a valid compressed group point; C_0 must not be the identity
   * (a zero secret), the others may be.
   */
  areCommitments(commitments: readonly Uint8Array[]): boolean;
  /** share.value·G == Σ_j C_j·index^j; the commitments must pass areCommitments. */
  verifyShare(share: Share, commitments: readonly Uint8Array[]): boolean;
  /** X_index = Σ_j C_j·index^j. */
  publicShare(index: number, commitments: readonly Uint8Array[]): Uint8Array;
  /** Σ scalars mod the group order. */
  sumScalars(scalars: readonly Uint8Array[]): Uint8Array;
  /** Σ points (valid, compressed). */
  sumPoints(points: readonly Uint8Array[]): Uint8Array;
  /** secret·G, compressed. */
  publicKey(secret: Uint8Array): Uint8Array;
  /** Lagrange interpolation at 0 of scalar shares with distinct indices. */
  recover(shares: readonly Share[]): Uint8Array;
  /** The same in the exponent, over compressed points. */
  recoverPoints(shares: readonly Share[]): Uint8Array;
  /** A proof of possession of `secret` (the discrete log of publicKey(secret)) bound to `message`. */
  provePossession(secret: Uint8Array, message: Uint8Array): Uint8Array;
  verifyPossession(publicKey: Uint8Array, message: Uint8Array, proof: Uint8Array): boolean;
}
