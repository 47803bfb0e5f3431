// The database's readiness probe against a real PostgreSQL: ready while the node's pool answers `SELECT 1`, then,
// with the server stopped, "unreachable (<code>)" within the probe's bound — the code only, never the URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseProbeOf } from '../../../src/node/metrics/database-probe.ts';
import { Readiness } from '../../../src/node/metrics/readiness.ts';
import { openPool } from '../../../src/node/storage/postgres/pool.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

describe.skipIf(!havePostgres)('readiness of a node on PostgreSQL', () => {
  let cluster: PgCluster | undefined;
  let pool: Awaited<ReturnType<typeof openPool>>;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = await openPool(await cluster.createDatabase('ready'), { connectTimeoutMs: 1000 });
  }, 120_000);
  afterAll(async () => {
    await pool?.end().catch(() => undefined);
    await cluster?.stop();
  });

  it('database: ok while it answers; unreachable with its code once stopped, the URL never said', async () => {
    const readiness = new Readiness();
    readiness.add('database', databaseProbeOf({ pool })!);
    expect(databaseProbeOf({})).toBeUndefined(); // files: no database to probe
    expect(await readiness.check()).toEqual({ ready: true, checks: { database: 'ok' } });
    const port = String(cluster!.port);
    await cluster!.stop();
    cluster = undefined;
    const started = Date.now();
    const down = await readiness.check();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.ready).toBe(false);
    expect(down.checks.database).toMatch(/^(unreachable \([A-Z0-9_]+\)|no answer within 2000 ms)$/);
    expect(down.checks.database).not.toContain(port);
  }, 60_000);
});
