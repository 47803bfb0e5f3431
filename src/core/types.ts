/**
 * The public shape of the crypto core: the `Core` object returned by
 * createCore() and, for code that also runs against the comlink worker,
 * `CoreLike` (the same API where every result may be a Promise).
 *
 * Conventions shared by every namespace:
 *  - Byte strings are Uint8Array, big-endian; points use the ZCash/IETF
 *    encodings; sizes are in `core.sizes`.
 *  - Every input is validated; a bad input throws one of the named errors
 *    of errors.ts (assert on `error.name`).
 *  - Verify functions return false only for well-formed inputs that do not
 *    verify; a malformed or invalid encoding, the point at infinity where
 *    the IETF draft forbids it, or an empty list throws instead.
 * @module
 */
import type { BlsBatchItem, BlsBatchResult, BlsPublicKey } from './bls-batch.ts';
import type { MpinApi } from './mpin/index.ts';
import type { Sizes } from './sizes.ts';

export type { BlsBatchItem, BlsBatchResult, BlsPublicKey } from './bls-batch.ts';
export type * from './mpin/index.ts';
export type { Sizes } from './sizes.ts';

/** Operations of one group (G1 or G2). Arithmetic takes and returns uncompressed points. */
export interface GroupApi {
  /** The standard generator, uncompressed. */
  generator(): Uint8Array;
  /** Throws unless `point` (compressed or uncompressed, told apart by length) is a valid subgroup point; infinity is allowed. */
  validate(point: Uint8Array): void;
  /** `validate` as a boolean: false for any invalid encoding or point. */
  isValid(point: Uint8Array): boolean;
  /** Either encoding in, compressed out. */
  compress(point: Uint8Array): Uint8Array;
  /** Either encoding in, uncompressed out. */
  uncompress(point: Uint8Array): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  neg(a: Uint8Array): Uint8Array;
  /** scalar * p, constant time in the scalar (secret scalars). The scalar must be < r. */
  mult(p: Uint8Array, scalar: Uint8Array): Uint8Array;
  /** scalar * p, variable time: public scalars only. */
  multPublic(p: Uint8Array, scalar: Uint8Array): Uint8Array;
  /** sum scalars[i] * points[i], variable time; at least one term. */
  msm(points: readonly Uint8Array[], scalars: readonly Uint8Array[]): Uint8Array;
  /** RFC 9380 hash_to_curve (the _RO_ suite) with the given DST. */
  hashToCurve(msg: Uint8Array, dst: Uint8Array): Uint8Array;
  /** RFC 9380 encode_to_curve (the _NU_ suite) with the given DST. */
  encodeToCurve(msg: Uint8Array, dst: Uint8Array): Uint8Array;
}

/** Pairings over uncompressed G1 and G2 points; GT elements are `sizes.gt` bytes. */
export interface PairingApi {
  /** e(p, q), reduced. */
  pair(p: Uint8Array, q: Uint8Array): Uint8Array;
  /** prod e(ps[i], qs[i]) with one final exponentiation. */
  multiPair(ps: readonly Uint8Array[], qs: readonly Uint8Array[]): Uint8Array;
  /** True when prod e(ps[i], qs[i]) == 1. */
  check(ps: readonly Uint8Array[], qs: readonly Uint8Array[]): boolean;
}

export interface HashApi {
  sha256(msg: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, msg: Uint8Array): Uint8Array;
  hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Uint8Array;
  /** length <= 255 * 32. */
  hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Uint8Array;
  /** RFC 9380 5.3.1 with SHA-256; length <= 255 * 32; long DSTs are hashed (5.3.3). */
  expandMessageXmd(msg: Uint8Array, dst: Uint8Array, length: number): Uint8Array;
}

/**
 * BLS signatures, min-sig variant: public keys in G2, signatures in G1
 * (the swapped groups of Milagro's vectors). The DST is always given.
 */
export interface BlsMinSigApi {
  skToPk(sk: Uint8Array): Uint8Array;
  sign(sk: Uint8Array, msg: Uint8Array, dst: Uint8Array): Uint8Array;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, dst: Uint8Array): boolean;
  aggregate(sigs: readonly Uint8Array[]): Uint8Array;
  fastAggregateVerify(pks: readonly Uint8Array[], msg: Uint8Array, sig: Uint8Array, dst: Uint8Array): boolean;
  popProve(sk: Uint8Array, dst: Uint8Array): Uint8Array;
  popVerify(pk: Uint8Array, proof: Uint8Array, dst: Uint8Array): boolean;
}

/**
 * BLS signatures (draft-irtf-cfrg-bls-signature-05), min-pk: public keys in
 * G1 (compressed), signatures in G2 (compressed). Without a `dst` argument
 * the ciphersuite BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ is used (its
 * DSTs are read from the module).
 */
export interface BlsApi {
  /** The signature DST of the dta ciphersuite (a copy). */
  readonly dst: Uint8Array;
  /** The proof-of-possession DST of the dta ciphersuite (a copy). */
  readonly popDst: Uint8Array;
  /** KeyGen: ikm of at least 32 bytes, optional info. */
  keygen(ikm: Uint8Array, info?: Uint8Array): Uint8Array;
  /** KeyGen with an explicit first HKDF salt (Milagro's vectors). */
  keygenWithSalt(ikm: Uint8Array, salt: Uint8Array, info?: Uint8Array): Uint8Array;
  skToPk(sk: Uint8Array): Uint8Array;
  sign(sk: Uint8Array, msg: Uint8Array, dst?: Uint8Array): Uint8Array;
  verify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, dst?: Uint8Array): boolean;
  /** Like verify, but throws VerificationError instead of returning false. */
  assertVerify(pk: Uint8Array, msg: Uint8Array, sig: Uint8Array, dst?: Uint8Array): void;
  aggregate(sigs: readonly Uint8Array[]): Uint8Array;
  aggregateVerify(pks: readonly Uint8Array[], msgs: readonly Uint8Array[], sig: Uint8Array, dst?: Uint8Array): boolean;
  /** Keys as compressed bytes, or all as handles from publicKey() (no decoding or subgroup check per call). */
  fastAggregateVerify(
    pks: readonly Uint8Array[] | readonly BlsPublicKey[],
    msg: Uint8Array,
    sig: Uint8Array,
    dst?: Uint8Array,
  ): boolean;
  popProve(sk: Uint8Array, dst?: Uint8Array): Uint8Array;
  popVerify(pk: Uint8Array, proof: Uint8Array, dst?: Uint8Array): boolean;
  /**
   * Decodes and validates (KeyValidate) a public key once; the handle is reusable in fastAggregateVerify.
   * In-process only: a handle does not cross a worker boundary.
   */
  publicKey(pk: Uint8Array): BlsPublicKey;
  /**
   * Verifies n triples with one randomized multi-pairing (64-bit multipliers from crypto.getRandomValues,
   * one final exponentiation). ok: all verify; failed: the indices of those that do not (found by bisection).
   * Invalid encodings, a key at infinity or an empty list throw, as in verify.
   */
  verifyBatch(items: readonly BlsBatchItem[], dst?: Uint8Array): BlsBatchResult;
  readonly minSig: BlsMinSigApi;
}

/** One Shamir share: f(index) for index in 1..255. */
export interface Share {
  readonly index: number;
  /** A scalar (split/recover) or a compressed point (recoverG1/recoverG2). */
  readonly value: Uint8Array;
}

export interface ShamirApi {
  /** t-of-n shares of a secret scalar (< r); coefficients from crypto.getRandomValues. */
  split(secret: Uint8Array, t: number, n: number): Share[];
  /** Lagrange interpolation at 0 from shares with distinct nonzero indices. */
  recover(shares: readonly Share[]): Uint8Array;
  /** The same in the exponent, over compressed G1 points (e.g. public-key shares). */
  recoverG1(shares: readonly Share[]): Uint8Array;
  /** The same over compressed G2 points (e.g. signature shares). */
  recoverG2(shares: readonly Share[]): Uint8Array;
}

/** A Feldman dealing: n shares of a secret and the commitments C_j = a_j·G1 to its polynomial's coefficients. */
export interface VssDealing {
  /** Share i (index 1..n) is f(i), a 32-byte scalar. */
  readonly shares: Share[];
  /** t compressed G1 points (48 bytes each); commitments[0] = secret·G1. */
  readonly commitments: Uint8Array[];
}

/**
 * Feldman verifiable secret sharing over Fr with commitments in G1 (https://doi.org/10.1109/SFCS.1987.4).
 * Shares and coefficients are processed in constant time by the core; the commitments are public.
 */
export interface VssApi {
  /** t-of-n shares of a secret scalar (< r) and t commitments; coefficients from crypto.getRandomValues. */
  deal(secret: Uint8Array, t: number, n: number): VssDealing;
  /**
   * share.value·G1 == Σ_j C_j·index^j. Every commitment is validated first (48 bytes, on the curve, in G1,
   * C_0 not infinity): a malformed commitment throws (BadEncodingError / NotInSubgroupError / InfinityError),
   * a share that does not match returns false.
   */
  verify(share: Share, commitments: readonly Uint8Array[]): boolean;
  /** The public share X_index = Σ_j C_j·index^j (compressed, 48 bytes); index in 1..255. */
  publicShare(index: number, commitments: readonly Uint8Array[]): Uint8Array;
  /** Σ scalars mod r (each < r), constant time; an empty list gives zero. */
  sum(scalars: readonly Uint8Array[]): Uint8Array;
  /** A uniformly random nonzero scalar (32 bytes, big-endian) from crypto.getRandomValues. */
  random(): Uint8Array;
}

/**
 * Handle-level access for benchmarks: opaque internal points kept in wasm
 * memory (no encoding or validation per operation). A handle is an address;
 * free it when done.
 */
export interface RawApi {
  allocP1(): number;
  allocP2(): number;
  allocGt(): number;
  /** Zeroes the handle and makes its block reusable. */
  free(handle: number): void;
  p1FromBytes(handle: number, point: Uint8Array): void;
  p1ToBytes(handle: number): Uint8Array;
  /** out = scalar * p, constant time in the scalar. */
  p1Mult(out: number, p: number, scalar: Uint8Array): void;
  /** out = scalar * p, variable time: public scalars only. */
  p1MultPublic(out: number, p: number, scalar: Uint8Array): void;
  p2FromBytes(handle: number, point: Uint8Array): void;
  p2ToBytes(handle: number): Uint8Array;
  p2Mult(out: number, p: number, scalar: Uint8Array): void;
  p2MultPublic(out: number, p: number, scalar: Uint8Array): void;
  gtPairing(out: number, p1: number, p2: number): void;
  gtToBytes(handle: number): Uint8Array;
}

/** Sizes of the KEM namespace, read from the module. */
export interface KemSizes {
  readonly x25519: number;
  readonly shakeState: number;
  readonly mlkemEncapsulationKey: number;
  readonly mlkemDecapsulationKey: number;
  readonly mlkemCiphertext: number;
  readonly xwingSeed: number;
  readonly xwingPublicKey: number;
  readonly xwingCiphertext: number;
  readonly xwingEseed: number;
  readonly sharedSecret: number;
}

/** Incremental SHAKE: absorb any number of times, then squeeze any number of times. */
export interface ShakeStream {
  /** Throws BadArgumentError once squeezing has begun. */
  absorb(data: Uint8Array): void;
  squeeze(length: number): Uint8Array;
}

/**
 * X25519 (RFC 7748, little-endian), FIPS 202 hashes, ML-KEM-768 (FIPS 203)
 * and X-Wing (draft-connolly-cfrg-xwing-kem-06). Secrets are processed in
 * constant time. X25519 refuses an all-zero result with InfinityError; an
 * ML-KEM key that fails FIPS 203's checks is a BadEncodingError.
 */
export interface KemApi {
  readonly sizes: KemSizes;
  x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array;
  /** X25519(scalar, 9): the public key of a scalar. */
  x25519Base(scalar: Uint8Array): Uint8Array;
  sha3_256(msg: Uint8Array): Uint8Array;
  shake128(msg: Uint8Array, length: number): Uint8Array;
  shake256(msg: Uint8Array, length: number): Uint8Array;
  shake128Stream(): ShakeStream;
  shake256Stream(): ShakeStream;
  readonly mlkem768: {
    /** ML-KEM.KeyGen_internal(d, z). */
    keygen(d: Uint8Array, z: Uint8Array): { encapsulationKey: Uint8Array; decapsulationKey: Uint8Array };
    /** ML-KEM.Encaps_internal(ek, m) after the modulus check. */
    encaps(encapsulationKey: Uint8Array, m: Uint8Array): { ciphertext: Uint8Array; sharedSecret: Uint8Array };
    /** ML-KEM.Decaps after the hash check; a bad ciphertext gives the implicit-rejection key. */
    decaps(ciphertext: Uint8Array, decapsulationKey: Uint8Array): Uint8Array;
  };
  readonly xwing: {
    /** The public key of a 32-byte seed (the secret key). */
    keygen(seed: Uint8Array): Uint8Array;
    /** Encapsulation with the draft's 64-byte eseed. */
    encaps(publicKey: Uint8Array, eseed: Uint8Array): { enc: Uint8Array; sharedSecret: Uint8Array };
    decaps(enc: Uint8Array, seed: Uint8Array): Uint8Array;
  };
}

export interface Core {
  readonly sizes: Sizes;
  readonly g1: GroupApi;
  readonly g2: GroupApi;
  readonly pairing: PairingApi;
  readonly hash: HashApi;
  readonly bls: BlsApi;
  readonly shamir: ShamirApi;
  /** Feldman VSS over Fr with G1 commitments (see vss.ts). */
  readonly vss: VssApi;
  readonly raw: RawApi;
  /** M-Pin, Milagro-compatible (Milagro's encodings; see mpin/index.ts). */
  readonly mpin: MpinApi;
  /** The envelope KEM: X25519, SHA3/SHAKE, ML-KEM-768 and X-Wing (see kem.ts). */
  readonly kem: KemApi;
  /** Runs the known-answer checks built into the core; true when they pass. */
  selfTest(): boolean;
}

/** A value, or a Promise of it. */
export type Awaitable<T> = T | Promise<T>;
type LikeFn<F> = F extends (...args: infer A) => infer R ? (...args: A) => Awaitable<R> : never;
/** A namespace whose methods may be async and whose values may be Promises. */
export type LikeNamespace<N> = {
  readonly [K in keyof N]: N[K] extends (...args: never[]) => unknown
    ? LikeFn<N[K]>
    : N[K] extends Uint8Array
      ? Awaitable<N[K]>
      : N[K] extends object
        ? LikeNamespace<N[K]>
        : Awaitable<N[K]>;
};

/**
 * The Core API as seen through a worker proxy (comlink): the same methods,
 * each of which may return a Promise. Code written against CoreLike always
 * awaits results, so it runs against the direct core and the worker alike.
 */
export interface CoreLike {
  readonly sizes: Awaitable<Sizes>;
  readonly g1: LikeNamespace<GroupApi>;
  readonly g2: LikeNamespace<GroupApi>;
  readonly pairing: LikeNamespace<PairingApi>;
  readonly hash: LikeNamespace<HashApi>;
  readonly bls: LikeNamespace<BlsApi>;
  readonly shamir: LikeNamespace<ShamirApi>;
  readonly vss: LikeNamespace<VssApi>;
  readonly raw: LikeNamespace<RawApi>;
  readonly mpin: LikeNamespace<MpinApi>;
  /** Without the SHAKE streams: a stream object lives on the caller's side and cannot cross a worker. */
  readonly kem: LikeNamespace<Omit<KemApi, 'shake128Stream' | 'shake256Stream'>>;
  selfTest(): Awaitable<boolean>;
}
