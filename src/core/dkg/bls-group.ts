/**
 * The DKG group BLS12-381 G1 (Fr scalars, compressed 48-byte G1 points), over the WebAssembly core:
 * shares and coefficients are handled by the core's `vss` in constant time; commitments are public, so
 * their sums and interpolations may be variable time. A proof of possession is a BLS signature (min-pk,
 * the core's `bls`) by f_i(0) under DKG_POP_DST, whose public key is C_i,0 itself.
 * @module
 */
import { utf8 } from '../bytes.ts';
import type { Core } from '../types.ts';
import type { DkgGroup, Share } from './group.ts';

/** The DST of DKG proofs of possession; distinct from every other BLS signature dta makes. */
const DKG_POP_DST = utf8('DTA_CUSTODY_DKG_V1_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_');
/** The order r of Fr, big-endian. */
const R = Uint8Array.from('73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001'.match(/../g) ?? [], (h) =>
  Number.parseInt(h, 16),
);
const SCALAR_BYTES = 32;
const POINT_BYTES = 48;

/** s < r without a branch on s (a share is secret): the borrow of r − 1 − s, byte by byte from the right. */
function belowOrder(s: Uint8Array): boolean {
  let borrow = 1; // computes r − s − 1: no final borrow ⟺ s ≤ r − 1
  for (let i = SCALAR_BYTES - 1; i >= 0; i--) {
    const d = (R[i] ?? 0) - (s[i] ?? 0) - borrow;
    borrow = (d >>> 31) & 1;
  }
  return borrow === 0;
}

/** The compressed encoding's infinity flag (ZCash serialisation: bit 6 of the first byte). */
const isInfinity = (p: Uint8Array): boolean => ((p[0] ?? 0) & 0x40) !== 0;

type BlsCore = Pick<Core, 'g1' | 'bls' | 'shamir' | 'vss'>;

/** The BLS12-381 group of `core`. */
export function blsGroup(core: BlsCore): DkgGroup {
  const add = (a: Uint8Array, b: Uint8Array): Uint8Array => core.g1.add(core.g1.uncompress(a), core.g1.uncompress(b));
  return Object.freeze({
    name: 'bls12-381' as const,
    scalarBytes: SCALAR_BYTES,
    pointBytes: POINT_BYTES,
    random: () => core.vss.random(),
    isScalar: (s: Uint8Array) => s.length === SCALAR_BYTES && belowOrder(s),
    deal: (secret: Uint8Array, t: number, n: number) => core.vss.deal(secret, t, n),
    areCommitments: (cs: readonly Uint8Array[]) =>
      cs.length > 0 &&
      cs.every((c) => c.length === POINT_BYTES && core.g1.isValid(c)) &&
      !isInfinity(cs[0] as Uint8Array),
    verifyShare: (share: Share, cs: readonly Uint8Array[]) => core.vss.verify(share, cs),
    publicShare: (index: number, cs: readonly Uint8Array[]) => core.vss.publicShare(index, cs),
    sumScalars: (scalars: readonly Uint8Array[]) => core.vss.sum(scalars),
    sumPoints: (points: readonly Uint8Array[]) => core.g1.compress(points.reduce(add)),
    publicKey: (secret: Uint8Array) => core.bls.skToPk(secret),
    recover: (shares: readonly Share[]) => core.shamir.recover(shares),
    recoverPoints: (shares: readonly Share[]) => core.shamir.recoverG1(shares),
    provePossession: (secret: Uint8Array, message: Uint8Array) => core.bls.sign(secret, message, DKG_POP_DST),
    verifyPossession: (pk: Uint8Array, message: Uint8Array, proof: Uint8Array) => {
      try {
        return core.bls.verify(pk, message, proof, DKG_POP_DST);
      } catch {
        return false; // a malformed proof is a proof that does not verify
      }
    },
  });
}
