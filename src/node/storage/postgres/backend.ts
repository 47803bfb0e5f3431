/**
 * The PostgreSQL backend (backend.ts StorageBackend): every piece of a
 * node's shared state in one database, so several `dta serve` replicas act
 * as one node. Two pools: the data pool every store uses (and the log and
 * limits stores import through `pool`), and a small pool whose clients only
 * hold order locks (order-lock.ts says why they are apart).
 * @module
 */
import type pg from 'pg';
import type { StorageBackend } from '../backend.ts';
import { PostgresBeneficiaryOrders } from './beneficiary-orders.ts';
import { PostgresBlockstore } from './blockstore.ts';
import { PostgresHomeRecords } from './home-records.ts';
import { PostgresIdentities } from './identities.ts';
import { OrderLocks } from './order-lock.ts';
import { PostgresOrders } from './orders.ts';
import { PostgresPendingSteps } from './pending.ts';
import { openPool } from './pool.ts';
import { PostgresReplay } from './replay.ts';
import './schema.ts';

export interface PostgresBackendOptions {
  /** How long a replay row must be kept (freshness window, both sides, plus margin). */
  readonly keepReplayMs: number;
  readonly now?: () => number;
  /** Most data connections per replica (default 10). */
  readonly connections?: number;
  /** Orders one replica may hold locked at once (default 8). */
  readonly lockConnections?: number;
}

export interface PostgresBackend extends StorageBackend {
  readonly kind: 'postgres';
  /** The data pool, for the other PostgreSQL stores of the node (the log, the limits). */
  readonly pool: pg.Pool;
}

/** Opens both pools on `url` (migrating the schema) and the stores on them. */
export async function openPostgresBackend(url: string, options: PostgresBackendOptions): Promise<PostgresBackend> {
  const pool = await openPool(url, { max: options.connections ?? 10 });
  let lockPool: pg.Pool;
  try {
    lockPool = await openPool(url, { max: options.lockConnections ?? 8 });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw err;
  }
  return {
    kind: 'postgres',
    pool,
    orders: new PostgresOrders(pool, new OrderLocks(lockPool)),
    replay: new PostgresReplay(pool, options.keepReplayMs, options.now),
    beneficiaries: new PostgresBeneficiaryOrders(pool),
    identities: new PostgresIdentities(pool),
    pending: new PostgresPendingSteps(pool),
    blockstore: new PostgresBlockstore(pool),
    home: new PostgresHomeRecords(pool),
    async close() {
      await lockPool.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
