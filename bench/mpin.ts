/**
 * M-Pin rows of `npm run bench`: this core through its byte API (every point it is given is decoded and
 * fully validated, as an application calls it), next to the native figures of Apache Milagro crypto-c on
 * BLS381 (its benchtest_mpin, 64-bit limbs, gcc -O2, as recorded in docs/mpin.md#costs). mcl-wasm and
 * noble have no M-Pin, so these rows stand apart from the main table.
 * @module
 */
import type { Core } from '../src/core/types.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';

export interface MpinRow {
  readonly op: string;
  readonly us: number;
  /** Milagro native, where it publishes the same operation. */
  readonly milagroUs?: number;
}

/** Milagro's native one-pass timings on BLS381 (docs/mpin.md#costs). */
const MILAGRO_CLIENT_US = 2360;
const MILAGRO_SERVER_US = 5670;

export const MPIN_NOTES = [
  'M-Pin rows: byte API with Milagro encodings, every input point validated (curve and subgroup); ' +
    'Milagro native = crypto-c benchtest_mpin on BLS381 (64-bit limbs, gcc -O2), which checks only the curve.',
  'M-Pin server rows include hashing the identity to G1 (mapit), as Milagro SERVER_1/MPIN_SERVER do.',
];

/** The setup every row shares: two nodes, one identity, a token; checks that a login verifies. */
function setup(core: Core) {
  const m = core.mpin;
  const id = new TextEncoder().encode('bench.user@example.org');
  const pin = 1234;
  const masters = [m.masterSecret(), m.masterSecret()];
  const hid = m.hashId(id);
  const serverSecret = m.recombineG2(masters.map((s) => m.serverSecret(s)));
  const token = m.extractPin(id, pin, m.recombineG1(masters.map((s) => m.clientSecret(s, hid))));
  const time = 1_700_000_000;
  const one = m.client({ id, pin, token, time });
  if (!m.server({ id, time, serverSecret, u: one.u, v: one.v }))
    throw new Error('mpin bench: the one-pass login fails');
  const p1 = m.client1({ id, pin, token });
  const y = m.randomScalar();
  const v = m.client2(p1.x, y, p1.sec);
  const { hid: hidPoint } = m.server1(id);
  if (!m.server2({ hid: hidPoint, y, serverSecret, u: p1.u, v }))
    throw new Error('mpin bench: the two-pass login fails');
  return { m, id, pin, masters, hid, serverSecret, token, time, one, p1, y, v, hidPoint };
}

/** Median microseconds of each M-Pin operation. */
export function mpinRows(core: Core, options: MeasureOptions): MpinRow[] {
  const x = setup(core);
  const { m } = x;
  const pre = m.precompute(x.token, x.hid);
  const r = m.randomScalar(),
    w = m.randomScalar();
  const z = m.clientSecret(r, x.hid),
    t = m.g1Mul(w, x.hidPoint);
  const h = m.hashAll({ hid: x.hid, u: x.p1.u, v: x.v, y: x.y, z, t });
  const ops: [string, () => unknown, number?][] = [
    ['M-Pin: issue a client-secret share', () => m.clientSecret(x.masters[0]!, x.hid)],
    ['M-Pin: issue a server-secret share', () => m.serverSecret(x.masters[0]!)],
    [
      'M-Pin: client passes 1+2 (two-pass)',
      () => {
        const p = m.client1({ id: x.id, pin: x.pin, token: x.token });
        return m.client2(p.x, x.y, p.sec);
      },
    ],
    [
      'M-Pin: server verification (server1 + server2)',
      () => {
        const s = m.server1(x.id);
        return m.server2({ hid: s.hid, y: x.y, serverSecret: x.serverSecret, u: x.p1.u, v: x.v });
      },
    ],
    [
      'M-Pin: one-pass client',
      () => m.client({ id: x.id, pin: x.pin, token: x.token, time: x.time }),
      MILAGRO_CLIENT_US,
    ],
    [
      'M-Pin: one-pass server',
      () => m.server({ id: x.id, time: x.time, serverSecret: x.serverSecret, u: x.one.u, v: x.one.v }),
      MILAGRO_SERVER_US,
    ],
    [
      'M-Pin: whole login (one-pass client + server)',
      () => {
        const c = m.client({ id: x.id, pin: x.pin, token: x.token, time: x.time });
        return m.server({ id: x.id, time: x.time, serverSecret: x.serverSecret, u: c.u, v: c.v });
      },
      MILAGRO_CLIENT_US + MILAGRO_SERVER_US,
    ],
    ['M-Pin Full: client key', () => m.clientKey({ ...pre, pin: x.pin, r, x: x.p1.x, h, t })],
    [
      'M-Pin Full: server key',
      () => m.serverKey({ z, serverSecret: x.serverSecret, w, h, hid: x.hidPoint, u: x.p1.u }),
    ],
  ];
  return ops.map(([op, fn, milagroUs]) => {
    const { ours } = measureSideBySide({ ours: fn }, options);
    console.error(`  ${op}: done`);
    return { op, us: ours, ...(milagroUs !== undefined ? { milagroUs } : {}) };
  });
}

export function printMpinTable(rows: readonly MpinRow[]): void {
  const header = ['operation', 'ours µs', 'Milagro native µs', 'ours/Milagro'];
  const lines = rows.map((r) => [
    r.op,
    r.us >= 100 ? r.us.toFixed(0) : r.us.toFixed(1),
    r.milagroUs !== undefined ? String(r.milagroUs) : '',
    r.milagroUs !== undefined ? (r.us / r.milagroUs).toFixed(2) : '',
  ]);
  const widths = header.map((hd, i) => Math.max(hd.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((wd) => '-'.repeat(wd)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
