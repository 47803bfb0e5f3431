/**
 * Vector kind `amcl-h2c`: Milagro's hash2curve_G1.rsp / hash2curve_G2.rsp
 * (the RFC 9380 vectors in .rsp form). `dst` and `msg` are raw ASCII; the
 * labels are space-padded (`msg     = `, `P.x_re  = `); the intermediate
 * values (u, Q0, Q1, Q) wrap onto indented lines and are skipped, as
 * upstream. Each `msg` opens a record, checked once its P is complete:
 * hash_to_curve when the DST in force ends in RO_, encode_to_curve for NU_.
 * @module
 */

import { utf8 } from '../bytes.ts';
import type { CoreLike } from '../types.ts';
import { g1Uncompressed, g2Uncompressed } from './points.ts';
import { byteMismatch, Report } from './report.ts';
import { rspLines } from './rsp.ts';

interface Vector {
  dst: string;
  msg: string;
  line: number;
  p: Map<string, string>;
}

const G1_KEYS = ['P.x', 'P.y'];
const G2_KEYS = ['P.x_re', 'P.x_im', 'P.y_re', 'P.y_im'];

function collect(text: string): Vector[] {
  const vectors: Vector[] = [];
  let dst = '';
  for (const l of rspLines(text)) {
    if (l.key === 'dst') dst = l.value;
    else if (l.key === 'msg') vectors.push({ dst, msg: l.value, line: l.line, p: new Map() });
    else if (l.key.startsWith('P.')) vectors.at(-1)?.p.set(l.key, l.value.trim());
  }
  return vectors;
}

async function check(core: CoreLike, v: Vector): Promise<string | undefined> {
  const fp = (await core.sizes).fp;
  const g2 = G2_KEYS.every((k) => v.p.has(k));
  if (!g2 && !G1_KEYS.every((k) => v.p.has(k))) return 'no complete P';
  const get = (k: string) => v.p.get(k)!;
  const want = g2
    ? g2Uncompressed(get('P.x_re'), get('P.x_im'), get('P.y_re'), get('P.y_im'), fp)
    : g1Uncompressed(get('P.x'), get('P.y'), fp);
  const group = g2 ? core.g2 : core.g1;
  const [m, d] = [utf8(v.msg), utf8(v.dst)];
  if (v.dst.endsWith('RO_')) return byteMismatch('P', await group.hashToCurve(m, d), want);
  if (v.dst.endsWith('NU_')) return byteMismatch('P', await group.encodeToCurve(m, d), want);
  return `DST "${v.dst}" ends in neither RO_ nor NU_`;
}

/** Runs hash2curve_G1.rsp or hash2curve_G2.rsp (its text). */
export async function runAmclH2c(core: CoreLike, name: string, text: string): Promise<Report> {
  const report = new Report();
  for (const v of collect(text)) {
    const label = `${name}:${v.line} ${v.dst.slice(-3)} msg=${JSON.stringify(v.msg.slice(0, 16))}`;
    await report.record(label, () => check(core, v));
  }
  return report;
}
