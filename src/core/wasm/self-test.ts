/**
 * The core's known-answer self-test (wasm/src/self_test.c: subgroup checks, encodings, bilinearity, a BLS
 * signature made and verified) on a module just loaded, before its bindings exist. The app worker runs it first
 * and reports its start only when it passes, then builds the bindings with createCore({ selfTest: false }) over
 * the same instance, so the test runs once and a broken core still stops the start.
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
