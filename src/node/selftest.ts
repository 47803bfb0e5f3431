/**
 * `npm start` until the fiduciary node exists: load the core the way the
 * node will, run its self-test, and print a short benchmark summary so an
 * operator sees at once that this machine runs the core and how fast.
 * (Full figures against other libraries: `npm run bench`.)
 */
import { readFileSync } from 'node:fs';
import { createCore, defaultCoreUrl, DtaError } from '../core/index.ts';
import type { Core } from '../core/index.ts';

const SAMPLES = 15;

/** Median wall time of `fn` in microseconds over a few runs after one warm-up. */
function medianMicros(fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const t = performance.now();
    fn();
    times.push((performance.now() - t) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[SAMPLES >> 1] ?? 0;
}

function summary(core: Core): Array<[string, number]> {
  const msg = new TextEncoder().encode('dta self-test message');
  const sk = core.bls.keygen(crypto.getRandomValues(new Uint8Array(32)));
  const pk = core.bls.skToPk(sk);
  const sig = core.bls.sign(sk, msg);
  const p = core.g1.generator();
  const q = core.g2.generator();
  return [
    ['pairing', medianMicros(() => core.pairing.pair(p, q))],
    ['BLS sign', medianMicros(() => core.bls.sign(sk, msg))],
    ['BLS verify', medianMicros(() => core.bls.verify(pk, msg, sig))],
  ];
}

async function main(): Promise<void> {
  const core = await createCore();
  const bytes = readFileSync(defaultCoreUrl()).byteLength;
  console.log(`dta crypto core: self-test passed (wasm/dta.wasm, ${bytes} bytes, Node ${process.version})`);
  for (const [op, us] of summary(core)) console.log(`  ${op.padEnd(12)} ${(us / 1000).toFixed(2)} ms`);
  console.log('The fiduciary node comes with a later release; npm run bench compares the core with other libraries.');
}

main().catch((err: unknown) => {
  const what = err instanceof DtaError ? `${err.name}: ${err.message}` : String(err instanceof Error ? err.message : err);
  console.error(`dta: ${what}`);
  process.exit(1);
});
