/**
 * The inputs every library is benchmarked on, drawn once per run and handed to each library in its own
 * native form: scalars as 32-byte big-endian strings, points as compressed encodings (each adapter decodes
 * them before timing where its library works on objects).
 * @module
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';

export const OPS = [
  'G1 scalar mult',
  'G1 scalar mult (public scalar)',
  'G2 scalar mult',
  'G2 scalar mult (public scalar)',
  'pairing',
  'hash-to-G1',
  'hash-to-G2',
  'BLS sign',
  'BLS verify',
  'FastAggregateVerify (100 sigs)',
  'FastAggregateVerify (100 keys as bytes)',
  'FastAggregateVerify (100 validated keys)',
  'batch verify, n = 1 (per signature)',
  'batch verify, n = 8 (per signature)',
  'batch verify, n = 64 (per signature)',
  'VSS: deal 3-of-5',
  'VSS: verify a share (t = 3)',
] as const;
export type Op = (typeof OPS)[number];

/** Batch rows: the batch size of each; their time is divided by it (per signature). */
export const BATCH_ROWS = {
  'batch verify, n = 1 (per signature)': 1,
  'batch verify, n = 8 (per signature)': 8,
  'batch verify, n = 64 (per signature)': 64,
} as const satisfies Partial<Record<Op, number>>;
export type BatchOp = keyof typeof BATCH_ROWS;
export const BATCH_OPS = Object.keys(BATCH_ROWS) as BatchOp[];

/** 64 random bits as 8 bytes: the batch multipliers, drawn per call by every library. */
export const random64 = (): Uint8Array => crypto.getRandomValues(new Uint8Array(8));

/** The prepared closures of one library, one per operation; each performs exactly one operation. */
export type Ops = Readonly<Record<Op, () => unknown>>;

/** Results of one run of (some of) the operations, as hex of compressed encodings or booleans. */
export type Outputs = Partial<Record<Op, string | boolean>>;

/** One library ready to be timed: its closures, and a way to read what one run of each produces. */
export interface Adapter {
  readonly ops: Ops;
  outputs(): Outputs;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** DSTs of the dta ciphersuite (BLS_SIG_..._POP_); the hash rows use the G1/G2 variants of it. */
export const SIG_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
export const G1_DST = 'BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_POP_';
export const G2_DST = SIG_DST;

/** Number of signers in the FastAggregateVerify row. */
export const SIGNERS = 100;

export interface Inputs {
  /** Scalar of the scalar-mult rows (32 bytes, big-endian, < r). */
  readonly scalar: Uint8Array;
  /** A random G1 point and a random G2 point (compressed). */
  readonly p1: Uint8Array;
  readonly p2: Uint8Array;
  /** The message of the hash and BLS rows (32 random bytes). */
  readonly msg: Uint8Array;
  /** Secret keys (32 bytes BE), their public keys (48 B) and their signatures on msg (96 B). */
  readonly sks: readonly Uint8Array[];
  readonly pks: readonly Uint8Array[];
  readonly sigs: readonly Uint8Array[];
  /** The aggregate of sigs (96 B compressed). */
  readonly aggSig: Uint8Array;
  /** A Feldman dealing of `scalar`, 3-of-5 (dealt with noble): share 2 and the 3 commitments (48 B). */
  readonly vssShare: { readonly index: number; readonly value: Uint8Array };
  readonly vssCommitments: readonly Uint8Array[];
}

/** The VSS rows: t-of-n of the deal row, t of the verify row. */
export const VSS_T = 3;
export const VSS_N = 5;

/** f(x) = a_0 + a_1 x + ... at x, mod r (Horner). */
export function evalPoly(a: readonly bigint[], x: bigint): bigint {
  return a.reduceRight((acc, c) => Fr.add(Fr.mul(acc, x), c), 0n);
}

function dealVss(secret: bigint): Pick<Inputs, 'vssShare' | 'vssCommitments'> {
  const a = [secret, ...Array.from({ length: VSS_T - 1 }, randomScalar)];
  const index = 2;
  return {
    vssShare: { index, value: scalarBytes(evalPoly(a, BigInt(index))) },
    vssCommitments: a.map((c) => G1.Point.BASE.multiply(c).toBytes(true)),
  };
}

const Fr = bls12_381.fields.Fr;
const { G1, G2 } = bls12_381;
const bls = bls12_381.longSignatures;

/** 32-byte big-endian encoding of a scalar < r. */
export function scalarBytes(k: bigint): Uint8Array {
  return Uint8Array.from(Buffer.from(k.toString(16).padStart(64, '0'), 'hex'));
}

export function randomScalar(): bigint {
  // 64 random bytes reduced mod r: uniform enough for a benchmark; zero is excluded.
  const wide = crypto.getRandomValues(new Uint8Array(64));
  const k = Fr.create(BigInt(`0x${Buffer.from(wide).toString('hex')}`));
  return k === 0n ? 1n : k;
}

/** Draws fresh inputs; the signatures come from @noble/curves and are checked by every library later. */
export function makeInputs(): Inputs {
  const skInts = Array.from({ length: SIGNERS }, randomScalar);
  const sks = skInts.map(scalarBytes);
  const msg = crypto.getRandomValues(new Uint8Array(32));
  const h = bls.hash(msg, SIG_DST);
  const sigPoints = sks.map((sk) => bls.sign(h, sk));
  const scalar = randomScalar();
  return {
    scalar: scalarBytes(scalar),
    p1: G1.Point.BASE.multiply(randomScalar()).toBytes(true),
    p2: G2.Point.BASE.multiply(randomScalar()).toBytes(true),
    msg,
    sks,
    pks: skInts.map((k) => G1.Point.BASE.multiply(k).toBytes(true)),
    sigs: sigPoints.map((s) => s.toBytes(true)),
    aggSig: bls.aggregateSignatures(sigPoints).toBytes(true),
    ...dealVss(scalar),
  };
}

/** The rows that return a boolean on valid inputs: FastAggregateVerify with handles and the batches. */
export function batchOutputs(ops: Ops) {
  return Object.fromEntries(
    (['FastAggregateVerify (100 validated keys)', ...Object.keys(BATCH_ROWS)] as const).map((op) => [
      op,
      ops[op as keyof Ops]() as boolean,
    ]),
  );
}
