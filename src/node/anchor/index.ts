/**
 * Anchoring on Bitcoin, as node.ts starts it: the store under
 * `<home>/anchors/`, the Esplora client, the wallet key (wallet mode: derived
 * from the identity seed, core/protocol/keys.ts deriveAnchorSecretKey) and
 * the loop (anchorer.ts), started in the background.
 * @module
 */
import type { FastifyBaseLogger } from 'fastify';
import type { BirthRecord } from '../../core/anchor/birth-record.ts';
import { deriveAnchorSecretKey } from '../../core/protocol/keys.ts';
import type { AnchorSettings } from '../config.ts';
import type { Keystore } from '../keystore/types.ts';
import type { NodeLog } from '../log/types.ts';
import { Anchorer } from './anchorer.ts';
import { EsploraClient } from './esplora.ts';
import { AnchorStore } from './store.ts';

/** Where the identity seed is kept (home.ts). */
const SEED_KEY = 'node/seed';

export interface Anchoring {
  readonly store: AnchorStore;
  readonly anchorer: Anchorer;
  close(): Promise<void>;
}

export interface AnchoringDeps {
  readonly dir: string;
  readonly keystore: Keystore;
  readonly birth: BirthRecord;
  readonly log: Pick<NodeLog, 'latest'>;
  readonly logger: Pick<FastifyBaseLogger, 'warn' | 'info'>;
  readonly now?: () => number;
}

/** The wallet mode's key, from the identity seed in `keystore` (the caller wipes it). */
export async function anchorWalletKey(keystore: Keystore): Promise<Uint8Array> {
  const seed = await keystore.get(SEED_KEY);
  if (!seed) throw new Error('anchor: the keystore has no identity seed');
  try {
    return deriveAnchorSecretKey(seed);
  } finally {
    seed.fill(0);
  }
}

/** Opens the store and starts the loop; its first round runs in the background. */
export async function startAnchoring(settings: AnchorSettings, deps: AnchoringDeps): Promise<Anchoring> {
  const store = await AnchorStore.open(deps.dir);
  const stopping = new AbortController();
  const anchorer = new Anchorer({
    settings,
    store,
    esplora: new EsploraClient(settings.esplora, { signal: stopping.signal }),
    log: deps.log,
    birth: deps.birth,
    ...(settings.mode === 'wallet' ? { walletKey: await anchorWalletKey(deps.keystore) } : {}),
    logger: deps.logger,
    ...(deps.now ? { now: deps.now } : {}),
  });
  anchorer.start();
  return {
    store,
    anchorer,
    close: () => {
      stopping.abort(); // a slow Esplora does not hold up the node's stop
      return anchorer.close();
    },
  };
}
