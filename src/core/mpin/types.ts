/**
 * The shapes of the M-Pin API: its sizes, the argument objects of each
 * step and what each step returns (the protocol is docs/mpin.md).
 * @module
 */
import type { Share } from '../types.ts';

/** Sizes of Milagro's encodings, read from the module. */
export interface MpinSizes {
  /** A scalar: 48 bytes big-endian, < r. */
  readonly scalar: number;
  /** A G1 point, 04 || x || y. */
  readonly g1: number;
  /** A G2 point, x.re || x.im || y.re || y.im. */
  readonly g2: number;
  /** A GT value in Milagro's tower. */
  readonly gt: number;
  /** HASH_ID(ID): 16 zero bytes || SHA-256(ID). */
  readonly hash: number;
  /** The M-Pin Full session key (AES-128). */
  readonly key: number;
  /** Random bytes per scalar. */
  readonly random: number;
  /** PINs are integers in [0, maxPin). */
  readonly maxPin: number;
}

/** The client's first pass. `x` is its secret for `client2`; `sec` its full secret: keep both until then. */
export interface MpinClientPass1 {
  readonly x: Uint8Array;
  readonly sec: Uint8Array;
  /** x H(ID), sent to the server. */
  readonly u: Uint8Array;
  /** x (H(ID) + H_T), sent when a time permit is used. */
  readonly ut?: Uint8Array;
}

/** The server's points for an identity: HID = H(ID) and, for a date, HTID = H(ID) + H_T. */
export interface MpinServerPass1 {
  readonly hid: Uint8Array;
  readonly htid?: Uint8Array;
}

export interface MpinClient1Args {
  readonly id: Uint8Array;
  readonly pin: number;
  readonly token: Uint8Array;
  /** The client's random scalar; drawn when absent. */
  readonly x?: Uint8Array;
  /** Days since the epoch with `permit`; 0 or absent: no time permit. */
  readonly date?: number;
  readonly permit?: Uint8Array;
}

export interface MpinServer2Args {
  /** From server1: `hid` (no date) or `htid` (with a date). */
  readonly hid?: Uint8Array;
  readonly htid?: Uint8Array;
  readonly date?: number;
  /** The challenge sent to the client. */
  readonly y: Uint8Array;
  readonly serverSecret: Uint8Array;
  /** The client's U (no date) or UT (with a date). */
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  /** The client's DVS public key, for the key-escrow-less variant. */
  readonly pa?: Uint8Array;
}

export interface MpinClientArgs extends MpinClient1Args {
  /** Unix time in seconds, bound into the challenge (0: none). */
  readonly time: number;
  /** Optional message bound into the challenge (a signature when DVS is used). */
  readonly message?: Uint8Array;
}

/** The one-pass client's output: send u (or ut), v and the time; y is for M-Pin Full. */
export interface MpinClientResult {
  readonly x: Uint8Array;
  readonly u: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly y: Uint8Array;
}

export interface MpinServerArgs {
  readonly id: Uint8Array;
  readonly date?: number;
  readonly time: number;
  readonly message?: Uint8Array;
  readonly serverSecret: Uint8Array;
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly pa?: Uint8Array;
}

/** After a failed login: what the server needs to estimate the PIN error (a server2 argument set with hid and u). */
export interface MpinPinErrorArgs extends MpinServer2Args {
  readonly hid: Uint8Array;
  readonly u: Uint8Array;
}

/**
 * E = e(V, Q) e(y A' + U', SS) and F = e(y HID + U, Q): E = F^(registered PIN - entered PIN)
 * (docs/mpin.md#pin-error).
 */
export interface MpinPinErrorValues {
  readonly e: Uint8Array;
  readonly f: Uint8Array;
}

/** M-Pin Full: the client's pairings, computed once per token. */
export interface MpinPrecomputed {
  readonly g1pre: Uint8Array;
  readonly g2pre: Uint8Array;
}

export interface MpinHashAllArgs {
  /** hashId(ID), 48 bytes. */
  readonly hid: Uint8Array;
  /** U, or UT when a time permit is used (UT wins when both are given). */
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
  readonly v: Uint8Array;
  readonly y: Uint8Array;
  /** The client's Z = r H(ID) and the server's T = w A'. */
  readonly z: Uint8Array;
  readonly t: Uint8Array;
}

export interface MpinClientKeyArgs extends MpinPrecomputed {
  readonly pin: number;
  /** The client's DH secret r (Z = r H(ID)), its x, the transcript hash h and the server's T. */
  readonly r: Uint8Array;
  readonly x: Uint8Array;
  readonly h: Uint8Array;
  readonly t: Uint8Array;
}

export interface MpinServerKeyArgs {
  readonly z: Uint8Array;
  readonly serverSecret: Uint8Array;
  /** The server's DH secret w (T = w A'), the transcript hash h, HID from server1 and the client's U or UT. */
  readonly w: Uint8Array;
  readonly h: Uint8Array;
  readonly hid: Uint8Array;
  readonly u?: Uint8Array;
  readonly ut?: Uint8Array;
}

export interface MpinApi {
  readonly sizes: MpinSizes;
  /** Days since the Unix epoch (Milagro's today()), for time permits. */
  today(nowMs?: number): number;
  /** A scalar in [1, r) from 64 random bytes (crypto.getRandomValues when absent). */
  randomScalar(random?: Uint8Array): Uint8Array;
  /** A node's master-secret share (a random scalar). */
  masterSecret(random?: Uint8Array): Uint8Array;
  /** HASH_ID(ID) = 16 zero bytes || SHA-256(ID). */
  hashId(id: Uint8Array): Uint8Array;
  /** Milagro's mapit: the G1 point H(ID) of a hashed identity. */
  mapToG1(hid: Uint8Array): Uint8Array;
  serverSecret(masterSecret: Uint8Array): Uint8Array;
  /** s_i H(ID); takes hashId(ID), as Milagro does. */
  clientSecret(masterSecret: Uint8Array, hid: Uint8Array): Uint8Array;
  /** s_i H(date || hashId(ID)), date in days (> 0). */
  clientPermit(date: number, masterSecret: Uint8Array, hid: Uint8Array): Uint8Array;
  /** Sum of one or more G1 shares (client secrets, permits). */
  recombineG1(shares: readonly Uint8Array[]): Uint8Array;
  /** Sum of one or more G2 shares (server secrets). */
  recombineG2(shares: readonly Uint8Array[]): Uint8Array;
  /**
   * t-of-n issuing (docs/mpin.md#threshold): Lagrange interpolation at 0 of G1 shares s_i·P (client secrets,
   * permits) with distinct indices, giving s·P when they are t or more shares of a degree t − 1 polynomial.
   */
  recoverG1(shares: readonly Share[]): Uint8Array;
  /** The same over G2 shares s_i·Q (server secrets). */
  recoverG2(shares: readonly Share[]): Uint8Array;
  /**
   * True when `serverShare` (G2, Milagro) is s_i·Q for the s_i whose public share s_i·G is `publicShare`
   * (compressed ZCash G1, as a DKG's commitments give it): e(X_i, Q) == e(G, SS_i).
   */
  verifyServerShare(publicShare: Uint8Array, serverShare: Uint8Array): boolean;
  /** k P, constant time in k (e.g. the DVS client's z CS). */
  g1Mul(k: Uint8Array, p: Uint8Array): Uint8Array;
  extractPin(id: Uint8Array, pin: number, clientSecret: Uint8Array): Uint8Array;
  restorePin(id: Uint8Array, pin: number, token: Uint8Array): Uint8Array;
  /** cs - factor H(ID) for a factor < 2^bits (1 <= bits <= 32). */
  extractFactor(id: Uint8Array, factor: number, bits: number, clientSecret: Uint8Array): Uint8Array;
  restoreFactor(id: Uint8Array, factor: number, bits: number, clientSecret: Uint8Array): Uint8Array;
  client1(args: MpinClient1Args): MpinClientPass1;
  /** V = -(x + y) SEC. */
  client2(x: Uint8Array, y: Uint8Array, sec: Uint8Array): Uint8Array;
  server1(id: Uint8Array, date?: number): MpinServerPass1;
  /** True when the login verifies. */
  server2(args: MpinServer2Args): boolean;
  /** The one-pass challenge y = SHA-256(time || U || message) mod r. */
  challenge(time: number, u: Uint8Array, message?: Uint8Array): Uint8Array;
  client(args: MpinClientArgs): MpinClientResult;
  server(args: MpinServerArgs): boolean;
  /** The DVS key pair: z (secret) and Pa = z^-1 Q; the client's identity becomes ID || Pa. */
  dvsKeyPair(z?: Uint8Array): { readonly z: Uint8Array; readonly pa: Uint8Array };
  /** E and F of a failed login (not for DVS logins). */
  pinErrorValues(args: MpinPinErrorArgs): MpinPinErrorValues;
  /**
   * The entered PIN minus the registered one, from E and F (|error| < maxPin, found exactly by
   * baby-step giant-step); undefined when the failure was not a wrong PIN (token, permit or key).
   */
  pinError(values: MpinPinErrorValues): number | undefined;
  /** e(P, Q) as Milagro's GT bytes. */
  pairing(p: Uint8Array, q: Uint8Array): Uint8Array;
  precompute(token: Uint8Array, hid: Uint8Array, pa?: Uint8Array): MpinPrecomputed;
  hashAll(args: MpinHashAllArgs): Uint8Array;
  clientKey(args: MpinClientKeyArgs): Uint8Array;
  serverKey(args: MpinServerKeyArgs): Uint8Array;
}
