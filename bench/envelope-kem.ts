/**
 * Envelope seal and open for one recipient, before (noble's X-Wing) and after (the core's), for the KEM
 * rows of bench/kem.ts. Both run the same protocol code in this process; each call first selects its X-Wing
 * backend (src/core/crypto/xwing-backends.ts). Their samples are interleaved, as measure.ts does for the
 * synchronous rows.
 * @module
 */

import { kemBackendName, useKemBackend } from '../src/core/crypto/xwing.ts';
import { coreBackend, type KemBackend, nobleBackend } from '../src/core/crypto/xwing-backends.ts';
import * as p from '../src/core/protocol/index.ts';
import type { Core } from '../src/core/types.ts';
import type { MeasureOptions } from './measure.ts';

type Op = () => Promise<unknown>;

export interface EnvelopeTimes {
  readonly seal: { readonly before: number; readonly after: number };
  readonly open: { readonly before: number; readonly after: number };
}

async function batch(fn: Op, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return performance.now() - t0;
}

/** Median µs per call of each async function, samples interleaved. */
export async function measureAsyncSideBySide<K extends string>(
  fns: Record<K, Op>,
  options: MeasureOptions,
): Promise<Record<K, number>> {
  const keys = Object.keys(fns) as K[];
  const n = {} as Record<K, number>,
    per = {} as Record<K, number[]>;
  for (const k of keys) {
    n[k] = Math.max(1, Math.round(options.sampleMs / Math.max(await batch(fns[k], 1), 0.001)));
    per[k] = [];
  }
  for (let s = 0; s < options.samples; s++) for (const k of keys) per[k].push((await batch(fns[k], n[k])) / n[k]);
  const out = {} as Record<K, number>;
  for (const k of keys) {
    const sorted = per[k].sort((a, b) => a - b),
      mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    out[k] = Math.round(median * 10_000) / 10;
  }
  return out;
}

/** Seal and open on one X-Wing backend; checks first that the envelope opens. */
async function envelopeOps(core: Core, backend: KemBackend): Promise<{ seal: Op; open: Op }> {
  const on =
    (fn: Op): Op =>
    () => {
      useKemBackend(backend);
      return fn();
    };
  const party = async (i: number) => {
    const secrets = await p.generateIdentitySecrets(core.bls, new Uint8Array(32).fill(i + 1));
    const identity = await p.createIdentity(core.bls, secrets, { name: `kem-${i}`, created: 1_700_000_000_000 });
    return { secrets, identity };
  };
  const sender = await party(0),
    recipient = await party(1);
  const identities = p.resolverOf([sender.identity, recipient.identity]);
  const content = { secret: new Uint8Array(32).fill(7), note: 'benchmark' };
  const seal = on(() =>
    p.createEnvelope(core.bls, sender.secrets.bls, {
      type: 'bench/seal',
      sender: sender.identity.cid,
      recipients: [p.recipientOf(recipient.identity)],
      sealed: true,
      content,
    }),
  );
  const bytes = ((await seal()) as { bytes: Uint8Array }).bytes;
  const open = on(async () =>
    p.openEnvelope(await p.verifyEnvelope(core.bls, bytes, identities), {
      cid: recipient.identity.cid,
      xwing: recipient.secrets.xwing,
    }),
  );
  const opened = (await open()) as { note?: string };
  if (kemBackendName() !== backend.name) throw new Error(`kem bench: not running on ${backend.name}`);
  if (opened.note !== 'benchmark') throw new Error('kem bench: the envelope does not open');
  return { seal, open };
}

export async function envelopeTimes(core: Core, options: MeasureOptions): Promise<EnvelopeTimes> {
  const before = await envelopeOps(core, nobleBackend);
  const after = await envelopeOps(core, coreBackend(core.kem));
  const us = await measureAsyncSideBySide(
    {
      sealBefore: before.seal,
      sealAfter: after.seal,
      openBefore: before.open,
      openAfter: after.open,
    },
    options,
  );
  useKemBackend(coreBackend(core.kem));
  return { seal: { before: us.sealBefore, after: us.sealAfter }, open: { before: us.openBefore, after: us.openAfter } };
}
