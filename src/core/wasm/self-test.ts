/**
 * The core's known-answer self-test (wasm/src/self_test.c: subgroup checks, encodings, bilinearity, a BLS
 * signature made and verified) on a module just loaded, before its bindings exist.
 *
 * The app worker runs it as a conditional self-test, in FIPS 140-3's sense: before the core's first use, not
 * before the worker's start. Its start needs no crypto (the page's first screen is the vault's state, read from
 * IndexedDB), so the worker reports its start once the module has loaded, and its bindings are built only over a
 * module that has passed (conditionalSelfTest's run()); a module that fails is never used, and every call that needs
 * the core rejects with the failure. The worker then builds the bindings with createCore({ selfTest: false }) over
 * the same instance, so the test runs once.
 * @module
 */
import { DtaError, ErrorCode } from '../errors.ts';
import type { LoadedCore } from './loader.ts';

/** Throws a DtaError when the core fails its self-test; the C stack it used is wiped either way. */
export function assertSelfTest(module: LoadedCore): void {
  const { dta_self_test, dta_wipe_stack } = module.exports;
  let code: number;
  try {
    code = dta_self_test();
  } finally {
    dta_wipe_stack();
  }
  if (code !== ErrorCode.OK) {
    throw new DtaError('core self-test: the core failed its self-test', ErrorCode.VERIFY_FAIL);
  }
}

/** The self-test of a module still loading, run once, when first asked for. */
export interface ConditionalSelfTest {
  /**
   * The module once it has passed: runs the test (once the module has loaded) if it has not run yet. Rejects with
   * the module's load failure or the test's, the same every time: a core that failed is not tested again.
   */
  run(): Promise<LoadedCore>;
  /** Settles as run() does, once the test has run; does not start it. */
  readonly outcome: Promise<LoadedCore>;
}

export function conditionalSelfTest(module: Promise<LoadedCore>): ConditionalSelfTest {
  let pass!: (m: LoadedCore) => void;
  let fail!: (e: unknown) => void;
  const outcome = new Promise<LoadedCore>((resolve, reject) => {
    pass = resolve;
    fail = reject;
  });
  // Nobody may be waiting for the outcome: a failure is reported to whoever asks, not as unhandled.
  outcome.catch(() => undefined);
  let started = false;
  const run = (): Promise<LoadedCore> => {
    if (!started) {
      started = true;
      module
        .then((loaded) => {
          assertSelfTest(loaded);
          return loaded;
        })
        .then(pass, fail);
    }
    return outcome;
  };
  return { run, outcome };
}
