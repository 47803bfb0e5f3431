/**
 * The crypto pool as the node wires it (node.ts): request signatures checked in batches (batch-verifier.ts),
 * sealed requests opened (pool-opener.ts) and replies signed (pool-envelopes.ts) by `config.cryptoWorkers` threads, the queue's depth in the metrics.
 * With no workers configured nothing changes: the event loop does it all, as before the pool.
 * @module
 */
import type { CID } from 'multiformats/cid';
import type { EnvelopeInit } from '../../core/protocol/index.ts';
import type { BlsSigner, IdentitySecrets } from '../../core/protocol/types.ts';
import type { NodeConfig } from '../config.ts';
import type { NodeMetrics } from '../metrics/registry.ts';
import { BatchVerifier } from './batch-verifier.ts';
import { CryptoPool } from './pool.ts';
import { createInPool, type SignedEnvelope } from './pool-envelopes.ts';
import { PoolOpener, type RequestOpener } from './pool-opener.ts';

export interface NodeCrypto {
  /** For RequestAuth's options: the batched verifier and the opener, when there is a pool. */
  readonly auth: { readonly verifier?: BlsSigner; readonly opener?: RequestOpener };
  /** For OrderService's options: replies signed in the pool, when there is one. */
  readonly orders: { readonly signReply?: (init: EnvelopeInit) => Promise<SignedEnvelope> };
  /** Wipes the workers' secrets and ends them. */
  close(): Promise<void>;
}

export function startNodeCrypto(
  config: Pick<NodeConfig, 'cryptoWorkers' | 'cryptoQueue'>,
  local: BlsSigner,
  node: { readonly cid: CID; readonly secrets: Pick<IdentitySecrets, 'bls' | 'xwing'> },
  metrics?: Pick<NodeMetrics, 'watchPoolQueue'>,
): NodeCrypto {
  if (config.cryptoWorkers === 0) return { auth: {}, orders: {}, close: async () => undefined };
  const pool = new CryptoPool({
    workers: config.cryptoWorkers,
    maxQueue: config.cryptoQueue,
    secrets: { bls: node.secrets.bls.slice(), xwing: node.secrets.xwing.slice() },
    identity: { node: node.cid.toString() },
  });
  const verifier = new BatchVerifier(pool, local, config.cryptoQueue);
  metrics?.watchPoolQueue(() => pool.queueDepth() + verifier.waiting());
  return {
    auth: { verifier, opener: new PoolOpener(pool, node.cid, verifier) },
    orders: { signReply: (init) => createInPool(pool, init) },
    async close() {
      await pool.close();
    },
  };
}
