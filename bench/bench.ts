/**
 * `npm run bench`: this core, @noble/curves and mcl-wasm side by side on the same inputs, in one run.
 * Prints the median microseconds per operation with the ratio ours/mcl (and ours/noble), and writes
 * bench/results.json. Every library's results are first checked against the others, so a table never
 * compares operations that compute different things.
 *
 * Options: --quick (fewer, shorter samples; for a smoke test), --out <file> (default bench/results.json),
 * --only <text> (only the crypto rows whose name contains the text, e.g. --only batch; the other tables are
 * skipped and results.json is only written when --out is given).
 * @module
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createCore } from '../src/core/index.ts';
import { ANCHOR_NOTES, anchorRows, printAnchorTable } from './anchor.ts';
import { APP_NOTES, appRows, printAppTable } from './app.ts';
import { CUSTODY_NOTES, custodyRows, printCustodyTable } from './custody.ts';
import { DKG_NOTES, dkgRows, printDkgTable } from './dkg.ts';
import { FIELD_NOTES, fieldRows, printFieldTable } from './field.ts';
import { FLOOD_NOTES, floodRows, printFloodTable } from './flood.ts';
import { type Adapter, BATCH_ROWS, makeInputs, OPS, type Op, type Outputs } from './inputs.ts';
import { KEM_NOTES, kemRows, printKemTable } from './kem.ts';
import { LOG_NOTES, logRows, printLogTable } from './log.ts';
import { initMcl, mclAdapter } from './mcl.ts';
import { type MeasureOptions, measureSideBySide } from './measure.ts';
import { MPIN_NOTES, mpinRows, printMpinTable } from './mpin.ts';
import { nobleAdapter } from './noble.ts';
import { NODE_NOTES, nodeRows, printNodeTable } from './node.ts';
import { oursAdapter } from './ours.ts';
import { PROTOCOL_NOTES, printProtocolTable, protocolRows } from './protocol.ts';
import { REPLICA_NOTES, replicaRows } from './replicas.ts';
import { printTlogTable, TLOG_NOTES, tlogRows } from './tlog.ts';
import { TLOG_BROWSER_NOTES, tlogBrowserRows } from './tlog-browser.ts';

const LIBS = ['ours', 'mcl-wasm', 'noble'] as const;
type Lib = (typeof LIBS)[number];

interface Row {
  readonly op: Op;
  readonly us: Record<Lib, number>;
}

/** What the rows include, printed under the table and kept in results.json. */
const NOTES = [
  'G1/G2 scalar mult and pairing: ours on raw handles (points decoded once), mcl and noble on decoded objects.',
  'G1/G2 scalar mult: constant time in the scalar (ours g1_mult/g2_mult, mcl mulCT, noble multiply); ' +
    '"(public scalar)": the variable-time paths (ours _mult_public, mcl mul, noble multiplyUnsafe).',
  'hash and BLS rows: ours takes and returns bytes and validates every point it is given (decompression and ' +
    'subgroup check of the public key(s) and signature); mcl and noble get pre-decoded objects.',
  'FastAggregateVerify (100 sigs): ours decodes and subgroup-checks all 100 compressed public keys per call; ' +
    'mcl and noble add 100 pre-decoded points.',
  'FastAggregateVerify (100 keys as bytes): every library decodes and subgroup-checks the 100 keys and the ' +
    'signature inside the timed call (like for like).',
  'FastAggregateVerify (100 validated keys): ours on handles from core.bls.publicKey (decoded and ' +
    'subgroup-checked once), mcl and noble on pre-decoded points; ours still decodes the signature per call.',
  'batch verify, n (per signature): one call verifying n (key, message, signature) triples with random 64-bit ' +
    'multipliers and one final exponentiation, divided by n; ours decodes and subgroup-checks every key and ' +
    'signature in the call, mcl and noble get pre-decoded points; every library hashes each message.',
  'VSS: deal 3-of-5: fresh random coefficients, five shares (Horner over Fr) and three commitments a_j·G1 by ' +
    'the constant-time multiplier, as bytes (ours core.vss.deal; mcl and noble written from their primitives).',
  'VSS: verify a share (t = 3): share·G1 (constant time) against Σ C_j·i^j (Horner by the public index), every ' +
    'library decoding and subgroup-checking the three compressed commitments in the call.',
];

const wasmUrl = new URL('../wasm/dta.wasm', import.meta.url);

/** A table of rows after a blank line, then its notes; nothing when a filter left it no rows. */
function printSection<T>(rows: readonly T[], print: (rows: T[]) => void, notes: readonly string[]): void {
  if (rows.length === 0) return;
  console.log('');
  print(rows as T[]);
  for (const note of notes) console.log(`* ${note}`);
}

function parseArgs(argv: readonly string[]): { quick: boolean; out: URL | undefined; only: string | undefined } {
  const outAt = argv.indexOf('--out');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1] : undefined;
  const given = outAt >= 0 && argv[outAt + 1] ? new URL(argv[outAt + 1]!, `file://${process.cwd()}/`) : undefined;
  // A filtered run must not overwrite the full results unless asked to.
  const out = given ?? (only === undefined ? new URL('./results.json', import.meta.url) : undefined);
  return { quick: argv.includes('--quick'), out, only };
}

/** A batch row's time per signature. */
function perSignature(op: Op, us: Record<Lib, number>): Record<Lib, number> {
  const n = (BATCH_ROWS as Partial<Record<Op, number>>)[op] ?? 1;
  return { ours: us.ours / n, 'mcl-wasm': us['mcl-wasm'] / n, noble: us.noble / n };
}

/** Every output two libraries both produce must agree; the inputs' signatures must verify everywhere. */
function crossCheck(outputs: Record<Lib, Outputs>): string[] {
  const problems: string[] = [];
  for (const op of OPS) {
    const seen = LIBS.filter((lib) => outputs[lib][op] !== undefined);
    for (const lib of seen) {
      const value = outputs[lib][op];
      if (value === false) problems.push(`${lib}: ${op} returned false on a valid signature`);
      if (value !== outputs[seen[0]!][op]) problems.push(`${op}: ${lib} differs from ${seen[0]}`);
    }
  }
  return problems;
}

function versionOf(pkg: string): string {
  const file = new URL(`../node_modules/${pkg}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function formatUs(us: number): string {
  return us >= 100 ? us.toFixed(0) : us.toFixed(1);
}

function printTable(rows: readonly Row[]): void {
  const header = ['operation', 'ours µs', 'mcl-wasm µs', 'noble µs', 'ours/mcl', 'ours/noble'];
  const lines = rows.map((r) => [
    r.op,
    formatUs(r.us.ours),
    formatUs(r.us['mcl-wasm']),
    formatUs(r.us.noble),
    (r.us.ours / r.us['mcl-wasm']).toFixed(2),
    (r.us.ours / r.us.noble).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
}

async function main(): Promise<void> {
  const { quick, out, only } = parseArgs(process.argv.slice(2));
  const options: MeasureOptions = quick ? { samples: 3, sampleMs: 20 } : { samples: 7, sampleMs: 150 };
  const started = performance.now();

  const core = await createCore();
  await initMcl();
  const inputs = makeInputs();
  const adapters: Record<Lib, Adapter> = {
    ours: oursAdapter(core, inputs),
    'mcl-wasm': mclAdapter(inputs),
    noble: nobleAdapter(inputs),
  };

  const problems = crossCheck({
    ours: adapters.ours.outputs(),
    'mcl-wasm': adapters['mcl-wasm'].outputs(),
    noble: adapters.noble.outputs(),
  });
  if (problems.length > 0) {
    for (const p of problems) console.error(`cross-check: ${p}`);
    throw new Error('the libraries disagree; no timings taken');
  }

  const rows: Row[] = [];
  for (const op of OPS.filter((o) => only === undefined || o.includes(only))) {
    const fns = {
      ours: adapters.ours.ops[op],
      'mcl-wasm': adapters['mcl-wasm'].ops[op],
      noble: adapters.noble.ops[op],
    };
    rows.push({ op, us: perSignature(op, measureSideBySide(fns, options)) });
    console.error(`  ${op}: done`);
  }
  if (only !== undefined) {
    const kem = await kemRows(core, options, only);
    const field = fieldRows(options, only);
    printTable(rows);
    for (const note of NOTES) console.log(`* ${note}`);
    printSection(field, printFieldTable, FIELD_NOTES);
    printSection(kem, printKemTable, KEM_NOTES);
    const tlog = await tlogRows(options, only);
    printSection(tlog, printTlogTable, TLOG_NOTES);
    const anchor = anchorRows(options, only);
    printSection(anchor, printAnchorTable, ANCHOR_NOTES);
    const dkg = await dkgRows(core, quick ? { runs: 3 } : {}, only);
    printSection(dkg, printDkgTable, DKG_NOTES);
    const custody = await custodyRows(core, quick ? { runs: 3 } : {}, only);
    printSection(custody, printCustodyTable, CUSTODY_NOTES);
    const tlogBrowser = await tlogBrowserRows(options, only);
    printSection(tlogBrowser, printTlogTable, TLOG_BROWSER_NOTES);
    const date = new Date().toISOString();
    const filtered = {
      rows,
      notes: NOTES,
      field,
      fieldNotes: FIELD_NOTES,
      kem,
      kemNotes: KEM_NOTES,
      tlog,
      tlogNotes: TLOG_NOTES,
      date,
    };
    const withAnchor = {
      ...filtered,
      anchor,
      anchorNotes: ANCHOR_NOTES,
      tlogBrowser,
      tlogBrowserNotes: TLOG_BROWSER_NOTES,
      dkg,
      dkgNotes: DKG_NOTES,
      custody,
      custodyNotes: CUSTODY_NOTES,
    };
    if (out) writeFileSync(out, `${JSON.stringify(withAnchor, null, 2)}\n`);
    return;
  }
  const field = fieldRows(options);
  const mpin = mpinRows(core, options);
  const protocol = await protocolRows(core, options);
  const kem = await kemRows(core, options);
  const tlog = await tlogRows(options);
  const anchor = anchorRows(options);
  const tlogBrowser = await tlogBrowserRows(options);
  const dkg = await dkgRows(core, quick ? { runs: 3 } : {});
  const app = await appRows(quick ? { runs: 2 } : {});
  const node = await nodeRows(core, quick ? { seconds: 5, clients: 4 } : { seconds: 30, clients: 8 });
  const replicas = await replicaRows(core, quick ? { seconds: 5, clients: 4 } : { seconds: 30, clients: 8 });
  const custody = await custodyRows(core, quick ? { runs: 3 } : {});
  const flood = await floodRows(core, quick ? { seconds: 5, clients: 4 } : {});
  const log = await logRows(core, quick ? { appends: 50, orders: 40, tiles: 200 } : {});
  printTable(rows);
  for (const note of NOTES) console.log(`* ${note}`);
  printSection(field, printFieldTable, FIELD_NOTES);
  printSection(mpin, printMpinTable, MPIN_NOTES);
  printSection(protocol, printProtocolTable, PROTOCOL_NOTES);
  printSection(kem, printKemTable, KEM_NOTES);
  printSection(tlog, printTlogTable, TLOG_NOTES);
  printSection(anchor, printAnchorTable, ANCHOR_NOTES);
  printSection(tlogBrowser, printTlogTable, TLOG_BROWSER_NOTES);
  printSection(dkg, printDkgTable, DKG_NOTES);
  printSection(node, printNodeTable, NODE_NOTES);
  printSection(flood, printFloodTable, FLOOD_NOTES);
  printSection(replicas, printNodeTable, REPLICA_NOTES);
  printSection(custody, printCustodyTable, CUSTODY_NOTES);
  printSection(log, printLogTable, LOG_NOTES);
  printSection(app, printAppTable, APP_NOTES);

  const cpus = os.cpus();
  const results = {
    rows,
    field,
    fieldNotes: FIELD_NOTES,
    mpin,
    mpinNotes: MPIN_NOTES,
    protocol,
    protocolNotes: PROTOCOL_NOTES,
    kem,
    kemNotes: KEM_NOTES,
    tlog,
    tlogNotes: TLOG_NOTES,
    anchor,
    anchorNotes: ANCHOR_NOTES,
    tlogBrowser,
    tlogBrowserNotes: TLOG_BROWSER_NOTES,
    dkg,
    dkgNotes: DKG_NOTES,
    nodeRows: node,
    nodeNotes: NODE_NOTES,
    flood,
    floodNotes: FLOOD_NOTES,
    replicaRows: replicas,
    replicaNotes: REPLICA_NOTES,
    custody,
    custodyNotes: CUSTODY_NOTES,
    log,
    logNotes: LOG_NOTES,
    app,
    appNotes: APP_NOTES,
    wasmBytes: statSync(wasmUrl).size,
    unit: 'median microseconds per operation',
    notes: NOTES,
    samples: options.samples,
    sampleMs: options.sampleMs,
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
    },
    nodeVersion: process.version,
    v8: process.versions.v8,
    libraries: { 'mcl-wasm': versionOf('mcl-wasm'), noble: versionOf('@noble/curves') },
    date: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
  if (!out) return;
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwasm/dta.wasm: ${results.wasmBytes} bytes; ${results.seconds} s; written ${out.pathname}`);
}

main().catch((e: unknown) => {
  console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
