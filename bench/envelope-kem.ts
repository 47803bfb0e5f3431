/**
 * Envelope seal and open for one recipient, timed for the KEM rows of bench/kem.ts. Run as a script it
 * prints the two medians as JSON: bench/kem.ts runs it in a child process under noble-xwing-hooks.ts for the
 * "before" (noble X-Wing) figures, and calls envelopeTimes() in-process for the "after" (core) ones.
 * @module
 */
import { pathToFileURL } from 'node:url';
import { createCore } from '../src/core/index.ts';
import {
  createEnvelope, createIdentity, generateIdentitySecrets, openEnvelope, recipientOf, resolverOf, verifyEnvelope,
} from '../src/core/protocol/index.ts';
import type { Core } from '../src/core/types.ts';
import * as kemModule from '../src/core/crypto/xwing.ts';
import type { MeasureOptions } from './measure.ts';

export interface EnvelopeTimes {
  readonly seal: number;
  readonly open: number;
  /** Which X-Wing the protocol ran: 'noble' under noble-xwing-hooks.ts, else 'core'. */
  readonly kem: string;
}

/** Median µs of an async function over `samples` batches of about `sampleMs`. */
export async function medianAsync(fn: () => Promise<unknown>, options: MeasureOptions): Promise<number> {
  const batch = async (n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await fn();
    return performance.now() - t0;
  };
  const n = Math.max(1, Math.round(options.sampleMs / Math.max(await batch(1), 0.001)));
  const per: number[] = [];
  for (let s = 0; s < options.samples; s++) per.push((await batch(n)) / n);
  per.sort((a, b) => a - b);
  const mid = per.length >> 1;
  return Math.round((per.length % 2 ? per[mid]! : (per[mid - 1]! + per[mid]!) / 2) * 10_000) / 10;
}

export async function envelopeTimes(core: Core, options: MeasureOptions): Promise<EnvelopeTimes> {
  const party = async (i: number) => {
    const secrets = await generateIdentitySecrets(core.bls, new Uint8Array(32).fill(i + 1));
    const identity = await createIdentity(core.bls, secrets, { name: `kem-${i}`, created: 1_700_000_000_000 });
    return { secrets, identity };
  };
  const sender = await party(0), recipient = await party(1);
  const identities = resolverOf([sender.identity, recipient.identity]);
  const content = { secret: new Uint8Array(32).fill(7), note: 'benchmark' };
  const seal = () => createEnvelope(core.bls, sender.secrets.bls, {
    type: 'bench/seal', sender: sender.identity.cid, recipients: [recipientOf(recipient.identity)], sealed: true,
    content,
  });
  const bytes = (await seal()).bytes;
  const open = async () => openEnvelope(await verifyEnvelope(core.bls, bytes, identities), {
    cid: recipient.identity.cid, xwing: recipient.secrets.xwing,
  });
  const opened = (await open()) as { note?: string };
  if (opened.note !== 'benchmark') throw new Error('kem bench: the envelope does not open');
  const kem = 'IMPLEMENTATION' in kemModule ? String(kemModule.IMPLEMENTATION) : 'core';
  return { seal: await medianAsync(seal, options), open: await medianAsync(open, options), kem };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [samples, sampleMs] = process.argv.slice(2).map(Number);
  const times = await envelopeTimes(await createCore(), { samples: samples || 7, sampleMs: sampleMs || 150 });
  console.log(JSON.stringify(times));
}
