// The PostgreSQL pool and its schema migrations (src/node/storage/postgres/pool.ts), on a real throwaway cluster:
// migrations run once however often replicas open the pool (also concurrently), a newer schema is refused with a
// clear message, and a bad database URL gives one line without the password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  maskDatabaseUrl,
  openPool,
  PostgresStorageError,
  registerMigration,
} from '../../../src/node/storage/postgres/pool.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

describe.skipIf(!havePostgres)('PostgreSQL pool and migrations', () => {
  let cluster: PgCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('applies each registered step once, even when replicas open the pool at the same time', async () => {
    const url = await cluster.createDatabase('migrations');
    registerMigration({ name: 'pooltest', version: 1, sql: 'CREATE TABLE pooltest (n integer)' });
    registerMigration({ name: 'pooltest', version: 2, sql: 'INSERT INTO pooltest VALUES (1)' });
    const pools = await Promise.all([openPool(url), openPool(url), openPool(url)]);
    const again = await openPool(url);
    try {
      const rows = (await again.query('SELECT n FROM pooltest')).rows;
      expect(rows).toEqual([{ n: 1 }]); // step 2 ran once, not once per pool
      const version = await again.query("SELECT version FROM schema_version WHERE component = 'pooltest'");
      expect(version.rows).toEqual([{ version: 2 }]);
    } finally {
      await Promise.all([...pools, again].map((p) => p.end()));
    }
  });

  it('refuses a database migrated by a newer release', async () => {
    const url = await cluster.createDatabase('newer');
    const pool = await openPool(url);
    await pool.query("UPDATE schema_version SET version = 99 WHERE component = 'pooltest'");
    await pool.end();
    const err = await openPool(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostgresStorageError);
    expect((err as PostgresStorageError).code).toBe('schema_too_new');
    expect((err as Error).message).toMatch(/"pooltest" schema is version 99, this dta knows up to 2/);
  });

  it('two different steps under one version are refused', () => {
    expect(() => registerMigration({ name: 'pooltest', version: 1, sql: 'SELECT 1' })).toThrow(/two different/);
  });

  it('names an unreachable database in one line, its password masked', async () => {
    const url = `postgres://dta:hunter2secret@127.0.0.1:${cluster.port + 1}/dta`;
    const err = (await openPool(url, { connectTimeoutMs: 1000 }).catch((e: unknown) => e)) as PostgresStorageError;
    expect(err.code).toBe('database_unreachable');
    expect(err.message).not.toContain('hunter2secret');
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('postgres://dta:***@127.0.0.1');
    const wrongUser = `postgres://nobody:hunter2secret@127.0.0.1:${cluster.port}/postgres`;
    const refused = (await openPool(wrongUser).catch((e: unknown) => e)) as PostgresStorageError;
    expect(refused.code).toBe('database_unreachable');
    expect(refused.message).not.toContain('hunter2secret');
    expect(maskDatabaseUrl('mysql://x')).toBe('mysql://x');
    await expect(openPool('mysql://a:b@h/x')).rejects.toMatchObject({ code: 'bad_database_url' });
  });
});
