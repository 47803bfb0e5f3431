/**
 * The BLS12-381 crypto core for browsers and Node: createCore() loads
 * wasm/dta.wasm and returns a frozen object of namespaces over Uint8Array.
 *
 * @example
 * ```ts
 * import { createCore } from './src/core/index.ts';
 * const core = await createCore();
 * const sk = core.bls.keygen(crypto.getRandomValues(new Uint8Array(32)));
 * const msg = new TextEncoder().encode('hello');
 * const sig = core.bls.sign(sk, msg);
 * core.bls.verify(core.bls.skToPk(sk), msg, sig); // true
 * ```
 * @module
 */
import { makeBls } from './bls.ts';
import type { Context } from './context.ts';
import { useCoreKem } from './crypto/xwing.ts';
import { makeG1, makeG2 } from './curves.ts';
import { DtaError, ErrorCode } from './errors.ts';
import { makeHash } from './hash.ts';
import { makeKem } from './kem.ts';
import { makeMpin } from './mpin/index.ts';
import { makePairing } from './pairing.ts';
import { makeRaw } from './raw.ts';
import { makeShamir } from './shamir.ts';
import { readSizes } from './sizes.ts';
import type { Core } from './types.ts';
import { makeVss } from './vss.ts';
import { Arena } from './wasm/arena.ts';
import { type CoreSource, type LoadedCore, loadCoreModule } from './wasm/loader.ts';

export * from './errors.ts';
export type * from './types.ts';
export { type CoreSource, defaultCoreUrl, type LoadedCore, loadCoreModule } from './wasm/loader.ts';

export interface CreateCoreOptions {
  /** Where to load the module from; default: wasm/dta.wasm next to the sources. */
  source?: CoreSource;
  /** An already loaded module (from loadCoreModule); takes precedence over `source`. */
  module?: LoadedCore;
  /** Run the core's known-answer self-test before returning (default true). */
  selfTest?: boolean;
}

/**
 * Loads the module and builds the API; rejects with a DtaError if the module is missing or fails its self-test.
 * The protocol's X-Wing (crypto/xwing.ts) runs on this core's KEM from then on.
 */
export async function createCore(options: CreateCoreOptions = {}): Promise<Core> {
  const { exports } = options.module ?? (await loadCoreModule(options.source));
  const ctx: Context = { e: exports, arena: new Arena(exports), sizes: readSizes(exports) };
  const selfTest = (): boolean => ctx.arena.run(() => exports.dta_self_test() === ErrorCode.OK);
  if (options.selfTest !== false && !selfTest()) {
    throw new DtaError('createCore: the core failed its self-test', ErrorCode.VERIFY_FAIL);
  }
  const kem = makeKem(ctx);
  // The protocol's envelopes in this thread run on this core's KEM from now on (crypto/xwing-backends.ts).
  useCoreKem(kem);
  return Object.freeze({
    sizes: ctx.sizes,
    g1: makeG1(ctx),
    g2: makeG2(ctx),
    pairing: makePairing(ctx),
    hash: makeHash(ctx),
    bls: makeBls(ctx),
    shamir: makeShamir(ctx),
    vss: makeVss(ctx),
    raw: makeRaw(ctx),
    mpin: makeMpin(ctx),
    kem,
    selfTest,
  });
}
