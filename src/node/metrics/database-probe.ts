/**
 * The readiness probe of a node on PostgreSQL: one `SELECT 1` through the
 * node's own pool, so it fails exactly when the node's queries would. Its
 * reason names the failure's code only (ECONNREFUSED, 57P01…): a message
 * of the driver may carry the host, the user or the database's name.
 * @module
 */
import type { Probe } from './readiness.ts';

interface Queryable {
  query(sql: string): Promise<unknown>;
}

/** The probe of `storage`'s database pool, or undefined for a storage without one (files). */
export function databaseProbeOf(storage: object): Probe | undefined {
  const pool = (storage as { pool?: Partial<Queryable> }).pool;
  return typeof pool?.query === 'function' ? databaseProbe(pool as Queryable) : undefined;
}

function databaseProbe(pool: Queryable): Probe {
  return async () => {
    try {
      await pool.query('SELECT 1');
    } catch (err) {
      const e = err as { code?: unknown; name?: unknown };
      throw new Error(`unreachable (${typeof e.code === 'string' ? e.code : String(e.name ?? 'error')})`);
    }
  };
}
