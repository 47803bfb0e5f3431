/**
 * Envelope seal and open for one recipient, timed with the whole tree at a given path: its own core (wasm) and its
 * own protocol code, so an older checkout (`git worktree add /tmp/old <rev>`, with node_modules linked) and this
 * one can be compared in turns on one machine, e.g. against the code of the day an issue set a target:
 *   for i in 1 2 3; do node bench/envelope-tree.ts /tmp/old; node bench/envelope-tree.ts .; done
 * Prints one JSON line: median µs of 9 samples of 30 calls each, after a warm-up.
 * @module
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = pathToFileURL(resolve(process.argv[2] ?? '.')).href;
const { createCore } = await import(`${root}/src/core/index.ts`);
const p = await import(`${root}/src/core/protocol/index.ts`);
const core = await createCore();

async function party(i: number) {
  const secrets = await p.generateIdentitySecrets(core.bls, new Uint8Array(32).fill(i + 1));
  const identity = await p.createIdentity(core.bls, secrets, { name: `tree-${i}`, created: 1_700_000_000_000 });
  return { secrets, identity };
}

async function medianUs(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await fn();
  const samples: number[] = [];
  for (let s = 0; s < 9; s++) {
    const t0 = performance.now();
    for (let i = 0; i < 30; i++) await fn();
    samples.push((performance.now() - t0) / 30);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[4]! * 1000);
}

const sender = await party(0);
const recipient = await party(1);
const identities = p.resolverOf([sender.identity, recipient.identity]);
const content = { secret: new Uint8Array(32).fill(7), note: 'benchmark' };
const seal = () =>
  p.createEnvelope(core.bls, sender.secrets.bls, {
    type: 'bench/seal',
    sender: sender.identity.cid,
    recipients: [p.recipientOf(recipient.identity)],
    sealed: true,
    content,
  });
const bytes = (await seal()).bytes;
const open = async () =>
  p.openEnvelope(await p.verifyEnvelope(core.bls, bytes, identities), {
    cid: recipient.identity.cid,
    xwing: recipient.secrets.xwing,
  });
if ((await open()).note !== 'benchmark') throw new Error('envelope-tree: the sealed envelope does not open');
console.log(
  JSON.stringify({ tree: process.argv[2] ?? '.', sealUs: await medianUs(seal), openUs: await medianUs(open) }),
);
