/**
 * One transaction on a client of its own: BEGIN, the caller's statements,
 * COMMIT (rolled back when one of them fails). A client whose ROLLBACK
 * fails too is dropped from the pool rather than reused in an unknown state.
 * @module
 */
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
