/**
 * The parts of a node that replicas must share besides the storage
 * backend's stores, on the backend's pool: the transparency log
 * (log/postgres-log.ts), the rate-limit buckets and the quota counts
 * (limits/postgres-*.ts). Importing this module registers their schema
 * migrations, so open.ts imports it before it opens the pool, and only for
 * PostgreSQL: a node on files never loads `pg`.
 * @module
 */
import type pg from 'pg';
import { PostgresRateLimitStore } from '../../limits/postgres-rate-limit-store.ts';
import { PostgresUsageStore } from '../../limits/postgres-usage-store.ts';
import type { RateLimitStore } from '../../limits/rate-limit-store.ts';
import type { UsageStore } from '../../limits/usage-store.ts';
import { openPostgresLog } from '../../log/postgres-log.ts';
import type { NodeLog } from '../../log/types.ts';

export interface SharedParts {
  openLog(options: { origin: string; secretKey: Uint8Array }): Promise<NodeLog>;
  rateLimits(): RateLimitStore;
  /** The quota counts; `close` leaves the pool to the backend. */
  usage(): UsageStore & { close(): Promise<void> };
}

export function sharedParts(pool: pg.Pool): SharedParts {
  return {
    openLog: (options) => openPostgresLog({ pool, ...options }),
    rateLimits: () => new PostgresRateLimitStore(pool),
    usage() {
      const usage = new PostgresUsageStore(pool);
      return {
        reserve: (...args) => usage.reserve(...args),
        release: (...args) => usage.release(...args),
        usage: (identity) => usage.usage(identity),
        close: async () => undefined,
      };
    },
  };
}
