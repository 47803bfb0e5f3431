/**
 * Vector kind `amcl-bls`: Milagro crypto-c's bls12_381.rsp (generated with
 * supranational/blst). Per record, as the upstream test_bls_ietf_BLS381:
 *  1. KeyGen(IKM, Salt as the first HKDF salt, Info) == SK;
 *  2. min-pk: SkToPk == PK in G1 (serialized = uncompressed, and
 *     compressed), both decode round trips, PopProve / PopVerify, Sign ==
 *     Signature in G2, Verify; for COUNT < 32 the aggregate of the
 *     signatures of records 0..COUNT passes AggregateVerify and
 *     FastAggregateVerify (all messages equal);
 *  3. the same with the groups swapped (min-sig: PK in G2, signature in G1;
 *     the swapped AggregateVerify is a pairing product check, since the
 *     core has no min-sig aggregate_verify).
 * Message `test vector`, DST QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_NU_
 * for every signature (hashed with the RO procedure despite its name), and
 * the same DST for the proofs of possession (the file has no proofs, so
 * only the round trip is checked). One record = one COUNT; one extra item
 * after the last record: compress/uncompress of the point at infinity.
 * @module
 */

import { equalBytes, toHex, utf8 } from '../bytes.ts';
import type { CoreLike } from '../types.ts';
import { byteMismatch, firstReason, Report, vectorHex } from './report.ts';
import { rspRecords } from './rsp.ts';

const MESSAGE = 'test vector';
const DST = 'QUUX-V01-CS02-with-BLS12381G1_XMD:SHA-256_SSWU_NU_';
/** Records whose COUNT is below this also check aggregation (as upstream). */
const AGGREGATE_RECORDS = 32;

interface Rec {
  count: number;
  ikm: Uint8Array;
  salt: Uint8Array;
  info: Uint8Array;
  sk: Uint8Array;
  pkG1: Uint8Array;
  pkG1c: Uint8Array;
  sigG2: Uint8Array;
  pkG2: Uint8Array;
  pkG2c: Uint8Array;
  sigG1: Uint8Array;
}

function field(r: Map<string, string>, key: string): Uint8Array {
  const v = r.get(key);
  if (v === undefined) throw new Error(`missing field "${key}"`);
  return vectorHex(v.trim());
}

function parse(r: Map<string, string>): Rec {
  return {
    count: Number(r.get('COUNT')),
    ikm: field(r, 'IKM'),
    salt: field(r, 'Salt'),
    info: field(r, 'Info'),
    sk: field(r, 'SK'),
    pkG1: field(r, 'PK in G1 (serialized)'),
    pkG1c: field(r, 'PK in G1 (compressed)'),
    sigG2: field(r, 'Signature in G2 (compressed)'),
    pkG2: field(r, 'PK in G2 (serialized)'),
    pkG2c: field(r, 'PK in G2 (compressed)'),
    sigG1: field(r, 'Signature in G1 (compressed)'),
  };
}

const msg = utf8(MESSAGE);
const dst = utf8(DST);

async function minPk(core: CoreLike, r: Rec, prior: Rec[]): Promise<string | undefined> {
  const pk = await core.bls.skToPk(r.sk);
  const proof = await core.bls.popProve(r.sk, dst);
  const sig = await core.bls.sign(r.sk, msg, dst);
  return firstReason(
    byteMismatch('PK in G1 (compressed)', pk, r.pkG1c),
    byteMismatch('PK in G1 (serialized)', await core.g1.uncompress(pk), r.pkG1),
    byteMismatch('compress(PK in G1 (serialized))', await core.g1.compress(r.pkG1), r.pkG1c),
    (await core.bls.popVerify(pk, proof, dst)) ? undefined : 'PopVerify (min-pk) failed',
    byteMismatch('Signature in G2', sig, r.sigG2),
    (await core.bls.verify(r.pkG1c, msg, r.sigG2, dst)) ? undefined : 'Verify (min-pk) failed',
    r.count < AGGREGATE_RECORDS ? await minPkAggregate(core, [...prior, r]) : undefined,
  );
}

async function minPkAggregate(core: CoreLike, recs: Rec[]): Promise<string | undefined> {
  const agg = await core.bls.aggregate(recs.map((x) => x.sigG2));
  const pks = recs.map((x) => x.pkG1c);
  return firstReason(
    (await core.bls.aggregateVerify(
      pks,
      pks.map(() => msg),
      agg,
      dst,
    ))
      ? undefined
      : `AggregateVerify of ${recs.length} failed`,
    (await core.bls.fastAggregateVerify(pks, msg, agg, dst))
      ? undefined
      : `FastAggregateVerify of ${recs.length} failed`,
  );
}

async function minSig(core: CoreLike, r: Rec, prior: Rec[]): Promise<string | undefined> {
  const pk = await core.bls.minSig.skToPk(r.sk);
  const proof = await core.bls.minSig.popProve(r.sk, dst);
  const sig = await core.bls.minSig.sign(r.sk, msg, dst);
  return firstReason(
    byteMismatch('PK in G2 (compressed)', pk, r.pkG2c),
    byteMismatch('PK in G2 (serialized)', await core.g2.uncompress(pk), r.pkG2),
    byteMismatch('compress(PK in G2 (serialized))', await core.g2.compress(r.pkG2), r.pkG2c),
    (await core.bls.minSig.popVerify(pk, proof, dst)) ? undefined : 'PopVerify (min-sig) failed',
    byteMismatch('Signature in G1', sig, r.sigG1),
    (await core.bls.minSig.verify(r.pkG2c, msg, r.sigG1, dst)) ? undefined : 'Verify (min-sig) failed',
    r.count < AGGREGATE_RECORDS ? await minSigAggregate(core, [...prior, r]) : undefined,
  );
}

/** CoreAggregateVerify for min-sig: e(sig, -g2) * prod e(H(m), pk_i) == 1. */
async function minSigAggregate(core: CoreLike, recs: Rec[]): Promise<string | undefined> {
  const agg = await core.bls.minSig.aggregate(recs.map((x) => x.sigG1));
  const pks = recs.map((x) => x.pkG2c);
  const h = await core.g1.hashToCurve(msg, dst);
  const ps = [await core.g1.uncompress(agg), ...pks.map(() => h)];
  const qs = [await core.g2.neg(await core.g2.generator())];
  for (const pk of pks) qs.push(await core.g2.uncompress(pk));
  return firstReason(
    (await core.pairing.check(ps, qs)) ? undefined : `AggregateVerify (min-sig) of ${recs.length} failed`,
    (await core.bls.minSig.fastAggregateVerify(pks, msg, agg, dst))
      ? undefined
      : `FastAggregateVerify (min-sig) of ${recs.length} failed`,
  );
}

/** compress/uncompress of infinity (c0 00..) in G1 and G2, after the last record upstream. */
async function infinity(core: CoreLike): Promise<string | undefined> {
  const sizes = await core.sizes;
  const check = async (g: CoreLike['g1'], compressed: number, uncompressed: number, name: string) => {
    const c = new Uint8Array(compressed);
    c[0] = 0xc0;
    const u = new Uint8Array(uncompressed);
    u[0] = 0x40;
    const [gotU, gotC] = [await g.uncompress(c), await g.compress(u)];
    if (!equalBytes(gotU, u)) return `${name} uncompress(infinity) = ${toHex(gotU)}`;
    return equalBytes(gotC, c) ? undefined : `${name} compress(infinity) = ${toHex(gotC)}`;
  };
  return firstReason(
    await check(core.g1, sizes.g1Compressed, sizes.g1Uncompressed, 'G1'),
    await check(core.g2, sizes.g2Compressed, sizes.g2Uncompressed, 'G2'),
  );
}

/** Runs bls12_381.rsp (its text). */
export async function runAmclBls(core: CoreLike, name: string, text: string): Promise<Report> {
  const report = new Report();
  const prior: Rec[] = [];
  for (const raw of rspRecords(text, 'COUNT')) {
    let rec: Rec | undefined;
    await report.record(`${name} COUNT=${raw.get('COUNT') ?? '?'}`, async () => {
      rec = parse(raw);
      const r = rec;
      const sk = await core.bls.keygenWithSalt(r.ikm, r.salt, r.info);
      return firstReason(byteMismatch('SK', sk, r.sk), await minPk(core, r, prior), await minSig(core, r, prior));
    });
    if (rec !== undefined && rec.count < AGGREGATE_RECORDS) prior.push(rec);
  }
  if (report.passed + report.failed > 0) await report.record(`${name} infinity`, () => infinity(core));
  return report;
}
