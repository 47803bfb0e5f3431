/**
 * Checks of the worker boundary itself, run in Chromium next to the shared cases: the core loads and passes
 * its self-test in the worker, errors thrown in the worker reach the page as the same named classes, data
 * and booleans survive the trip, the worker computes what the same core computes on the page,
 * terminate() stops it, and a self-test that fails after a worker's start reaches the page with its reason.
 * @module
 */
import { BadEncodingError, BadLengthError, ErrorCode, isDtaError } from '../../src/core/errors.ts';
import { createCore } from '../../src/core/index.ts';
import { createCoreWorker, type RemoteCore } from '../../src/worker/core-worker-client.ts';
import { startWorker } from '../../src/worker/startup.ts';

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Awaits `p` and returns what it threw; fails if it resolved. */
async function rejection(p: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error(`assertion failed: ${what} should have thrown`);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export const workerCases = {
  async 'self-test passes in the worker'(core: RemoteCore): Promise<void> {
    assert((await core.selfTest()) === true, 'selfTest() is true');
  },

  async 'sizes arrive as one object'(core: RemoteCore): Promise<void> {
    const sizes = await core.sizes;
    assert(sizes.g1Compressed === 48 && sizes.g2Compressed === 96 && sizes.gt === 576, 'sizes match dta.h');
  },

  async 'an error thrown by the bindings keeps its class, name and code'(core: RemoteCore): Promise<void> {
    const e = await rejection(core.g1.compress(new Uint8Array(5)), 'g1.compress of 5 bytes');
    assert(e instanceof BadLengthError, `a BadLengthError instance, got ${String(e)}`);
    assert(e.name === 'BadLengthError' && e.code === ErrorCode.BAD_LENGTH && isDtaError(e), 'name and code');
    assert(e.message.includes('5'), 'the message names the bad length');
  },

  async 'an error returned by the wasm keeps its class, name and code'(core: RemoteCore): Promise<void> {
    // 48 zero bytes: a G1 length whose compression flag is clear, which the C decoder refuses.
    const e = await rejection(core.g1.validate(new Uint8Array(48)), 'g1.validate of 48 zero bytes');
    assert(e instanceof BadEncodingError, `a BadEncodingError instance, got ${String(e)}`);
    assert(e.name === 'BadEncodingError' && e.code === ErrorCode.BAD_ENCODING, 'name and code');
  },

  async 'the worker computes what the page computes'(core: RemoteCore): Promise<void> {
    const local = await createCore();
    const sk = local.bls.keygen(crypto.getRandomValues(new Uint8Array(32)));
    const msg = utf8('the same bytes on both sides of postMessage');
    const [pk, sig] = [local.bls.skToPk(sk), local.bls.sign(sk, msg)];
    assert(sameBytes(await core.bls.skToPk(sk), pk), 'skToPk agrees');
    assert(sameBytes(await core.bls.sign(sk, msg), sig), 'sign agrees');
    assert((await core.bls.verify(pk, msg, sig)) === true, 'verify is true for the signature');
    assert((await core.bls.verify(pk, utf8('another message'), sig)) === false, 'verify is false for another message');
  },

  async 'a self-test that fails after the start reaches the page, with its reason'(): Promise<void> {
    const started = await startWorker<{ ping(): string }>(
      () => new Worker(new URL('./failing-self-test-worker.ts', import.meta.url), { type: 'module' }),
      { what: 'failing self-test worker' },
    );
    try {
      assert((await started.remote.ping()) === 'pong', 'the worker started and answers');
      const e = await rejection(started.selfTest, 'the self-test');
      assert(isDtaError(e), 'the failure is a DtaError');
      assert(e.message === 'core self-test: the core failed its self-test', `the reason arrives (${e.message})`);
    } finally {
      started.terminate();
    }
  },

  async 'terminate stops the worker'(): Promise<void> {
    const { core, terminate } = await createCoreWorker();
    assert((await core.selfTest()) === true, 'the second worker runs');
    terminate();
    await rejection(
      Promise.resolve().then(() => core.selfTest()),
      'a call after terminate',
    );
  },
};
