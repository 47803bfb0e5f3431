/**
 * Vector kind `rfc9380`: the JSON files of the RFC 9380 generator
 * (cfrg/draft-irtf-cfrg-hash-to-curve poc/vectors), as kept in
 * vectors/hash-to-curve/.
 *  - Suite files BLS12381G{1,2}_XMD:SHA-256_SSWU_{RO,NU}_.json: for each
 *    vector, hash_to_curve (RO) or encode_to_curve (NU) of `msg` with the
 *    file's `dst` must give the affine point P.
 *  - expand_message_xmd_SHA256_*.json: uniform_bytes for each test.
 * One vector = one record.
 * @module
 */

import { utf8 } from '../bytes.ts';
import type { CoreLike } from '../types.ts';
import { g1Uncompressed, g2FromJson } from './points.ts';
import { byteMismatch, Report, vectorHex } from './report.ts';

interface SuiteFile {
  ciphersuite: string;
  dst: string;
  vectors: { msg: string; P: { x: string; y: string } }[];
}

interface ExpandFile {
  DST: string;
  hash: string;
  tests: { msg: string; len_in_bytes: string; uniform_bytes: string }[];
}

function isSuite(doc: unknown): doc is SuiteFile {
  const d = doc as Partial<SuiteFile>;
  return typeof d.ciphersuite === 'string' && typeof d.dst === 'string' && Array.isArray(d.vectors);
}

function isExpand(doc: unknown): doc is ExpandFile {
  const d = doc as Partial<ExpandFile>;
  return typeof d.DST === 'string' && Array.isArray(d.tests);
}

async function runSuite(core: CoreLike, name: string, doc: SuiteFile, report: Report): Promise<void> {
  const suite = /^BLS12381(G1|G2)_XMD:SHA-256_SSWU_(RO|NU)_$/.exec(doc.ciphersuite);
  if (!suite) {
    report.fail(name, `unsupported ciphersuite ${doc.ciphersuite}`);
    return;
  }
  const [, group, mode] = suite;
  const fp = (await core.sizes).fp;
  const g = group === 'G1' ? core.g1 : core.g2;
  const dst = utf8(doc.dst);
  for (const [i, v] of doc.vectors.entries()) {
    await report.record(`${name} #${i} msg=${JSON.stringify(v.msg.slice(0, 16))}`, async () => {
      const want = group === 'G1' ? g1Uncompressed(v.P.x, v.P.y, fp) : g2FromJson(v.P.x, v.P.y, fp);
      const got = mode === 'RO' ? await g.hashToCurve(utf8(v.msg), dst) : await g.encodeToCurve(utf8(v.msg), dst);
      return byteMismatch('P', got, want);
    });
  }
}

async function runExpand(core: CoreLike, name: string, doc: ExpandFile, report: Report): Promise<void> {
  if (doc.hash.toUpperCase().replace('-', '') !== 'SHA256') {
    report.fail(name, `unsupported hash ${doc.hash}`);
    return;
  }
  const dst = utf8(doc.DST);
  for (const [i, t] of doc.tests.entries()) {
    await report.record(`${name} #${i} len=${t.len_in_bytes}`, async () => {
      const len = parseInt(t.len_in_bytes, 16);
      const got = await core.hash.expandMessageXmd(utf8(t.msg), dst, len);
      return byteMismatch('uniform_bytes', got, vectorHex(t.uniform_bytes));
    });
  }
}

/** Runs one RFC 9380 JSON file (its text); `name` labels failures. */
export async function runRfc9380(core: CoreLike, name: string, text: string): Promise<Report> {
  const report = new Report();
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    report.fail(name, 'not valid JSON');
    return report;
  }
  if (isSuite(doc)) await runSuite(core, name, doc, report);
  else if (isExpand(doc)) await runExpand(core, name, doc, report);
  else report.fail(name, 'neither a hash-to-curve suite file nor an expand_message file');
  return report;
}
