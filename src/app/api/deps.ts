/**
 * The components the flows' data modules are built from, injected so that
 * tests can give real nodes, fake-indexeddb and an in-process core, and the
 * app the worker and the browser's Helia. Each module takes only this
 * record (never a god object): the database, the crypto, the fetch
 * function, the IPFS node and the clock.
 * @module
 */

import type { Fetch } from '../../core/api/http.ts';
import type { BrowserIpfs } from '../ipfs/helia.ts';
import type { FlowsCrypto, Signer } from './context.ts';
import type { FlowsDb } from './db.ts';
import { NotReadyError } from './errors.ts';

export interface FlowsDeps {
  readonly db: () => Promise<FlowsDb>;
  readonly crypto: () => Promise<FlowsCrypto>;
  readonly fetch?: Fetch;
  /** The browser's Helia when it runs and is connected to at least one node; undefined skips IPFS. */
  readonly ipfs?: () => Promise<BrowserIpfs | undefined>;
  readonly now?: () => number;
}

export const nowOf = (deps: FlowsDeps): number => (deps.now ?? Date.now)();

/** The unlocked identity; NotReadyError when the vault is locked or empty. */
export async function requireSigner(deps: FlowsDeps): Promise<Signer> {
  const signer = await (await deps.crypto()).signer();
  if (!signer) throw new NotReadyError('unlock your identity first (Keys)');
  return signer;
}
