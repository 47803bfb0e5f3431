/**
 * Feldman verifiable secret sharing over Fr with commitments in G1.
 * Interim: the interface is fixed (types.ts VssApi) while the C side is being added; every call throws until then.
 * @module
 */
import type { Context } from './context.ts';
import { DtaError } from './errors.ts';
import type { VssApi } from './types.ts';

function notBuilt(): never {
  throw new DtaError('vss: not in this build of the core yet');
}

export function makeVss(_ctx: Context): VssApi {
  return Object.freeze({ deal: notBuilt, verify: notBuilt, publicShare: notBuilt, sum: notBuilt, random: notBuilt });
}
