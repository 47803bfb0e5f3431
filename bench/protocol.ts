/**
 * Protocol rows of `npm run bench` (issue 4): envelope seal and open for 1 and 10 recipients, and identity
 * verification, through the public protocol API with the core's BLS (`core.bls`) in-process. The protocol
 * functions are async (the BLS signer may be a worker), so these rows use their own async timer with the
 * same median-of-samples method as measure.ts.
 * @module
 */
import {
  createEnvelope,
  createIdentity,
  generateIdentitySecrets,
  type IdentityDocument,
  type IdentitySecrets,
  openEnvelope,
  readIdentity,
  recipientOf,
  resolverOf,
  type Verified,
  verifyEnvelope,
} from '../src/core/protocol/index.ts';
import type { Core } from '../src/core/types.ts';
import type { MeasureOptions } from './measure.ts';

export interface ProtocolRow {
  readonly op: string;
  readonly us: number;
}

export const PROTOCOL_NOTES = [
  'Protocol rows: public API, core.bls in-process; content = a 32-byte secret and a short note (~60 bytes of DAG-CBOR).',
  'seal = build the header, encrypt the content once (AES-256-GCM), wrap its key per recipient (HPKE, X-Wing), ' +
    'BLS-sign, encode, CID; open = decode strictly + verify the BLS signature + unwrap one key + decrypt.',
  'identity verification = strict decode, schema, proof of possession and self-signature (two BLS verifications).',
];

async function timeBatch(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return performance.now() - t0;
}

/** Median microseconds per call of an async function (samples of about sampleMs each). */
async function measureAsync(fn: () => Promise<unknown>, options: MeasureOptions): Promise<number> {
  const once = Math.max(await timeBatch(fn, 1), 0.001);
  const iterations = Math.max(1, Math.round(options.sampleMs / once));
  const perCall: number[] = [];
  for (let s = 0; s < options.samples; s++) perCall.push((await timeBatch(fn, iterations)) / iterations);
  perCall.sort((a, b) => a - b);
  const mid = perCall.length >> 1;
  const median = perCall.length % 2 ? perCall[mid]! : (perCall[mid - 1]! + perCall[mid]!) / 2;
  return Math.round(median * 10_000) / 10;
}

interface Party {
  readonly secrets: IdentitySecrets;
  readonly identity: Verified<IdentityDocument>;
}

async function party(core: Core, i: number): Promise<Party> {
  const secrets = await generateIdentitySecrets(core.bls, new Uint8Array(32).fill(i + 1));
  return {
    secrets,
    identity: await createIdentity(core.bls, secrets, { name: `bench-${i}`, created: 1_700_000_000_000 }),
  };
}

/** Median microseconds of each protocol operation; checks first that what it times succeeds. */
export async function protocolRows(core: Core, options: MeasureOptions): Promise<ProtocolRow[]> {
  const parties = await Promise.all(Array.from({ length: 11 }, (_, i) => party(core, i)));
  const [sender, ...others] = parties as [Party, ...Party[]];
  const identities = resolverOf(parties.map((p) => p.identity));
  const content = { secret: new Uint8Array(32).fill(7), note: 'benchmark' };
  const seal = (n: number) => () =>
    createEnvelope(core.bls, sender.secrets.bls, {
      type: 'bench/seal',
      sender: sender.identity.cid,
      recipients: others.slice(0, n).map((p) => recipientOf(p.identity)),
      sealed: true,
      content,
    });
  const last = (n: number) => others[n - 1]!;
  const open = (n: number, bytes: Uint8Array) => async () => {
    const env = await verifyEnvelope(core.bls, bytes, identities);
    return openEnvelope(env, { cid: last(n).identity.cid, xwing: last(n).secrets.xwing });
  };
  const sealed = { 1: (await seal(1)()).bytes, 10: (await seal(10)()).bytes };
  for (const n of [1, 10] as const) {
    const opened = (await open(n, sealed[n])()) as { note?: string };
    if (opened.note !== 'benchmark') throw new Error('protocol bench: a sealed envelope does not open');
  }
  const ops: [string, () => Promise<unknown>][] = [
    ['Envelope: seal for 1 recipient', seal(1)],
    ['Envelope: open (verify + decrypt), 1 recipient', open(1, sealed[1])],
    ['Envelope: seal for 10 recipients', seal(10)],
    ['Envelope: open (verify + decrypt), 10 recipients', open(10, sealed[10])],
    [
      'Identity: verify a document (read + pop + signature)',
      () => readIdentity(core.bls, sender.identity.bytes, sender.identity.cid),
    ],
  ];
  const rows: ProtocolRow[] = [];
  for (const [op, fn] of ops) {
    rows.push({ op, us: await measureAsync(fn, options) });
    console.error(`  ${op}: done`);
  }
  return rows;
}

export function printProtocolTable(rows: readonly ProtocolRow[]): void {
  const header = ['operation', 'µs', 'ops/s'];
  const lines = rows.map((r) => [r.op, r.us >= 100 ? r.us.toFixed(0) : r.us.toFixed(1), (1e6 / r.us).toFixed(0)]);
  const widths = header.map((hd, i) => Math.max(hd.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((wd) => '-'.repeat(wd)).join('  '));
  for (const l of lines) console.log(fmt(l));
}
