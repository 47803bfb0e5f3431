/**
 * The keystore's sealed records in PostgreSQL (keystore/types.ts
 * SealedRecords): a row per secret holding the sealed bytes only (the
 * sealer, with the key-encryption key, stays in each replica's memory or
 * token); `create` is one INSERT … ON CONFLICT DO NOTHING, so of two
 * replicas creating one name exactly one wins and nothing is replaced.
 * @module
 */
import type pg from 'pg';
import type { SealedRecords } from '../../keystore/types.ts';

export class PostgresSealedRecords implements SealedRecords {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(name: string, sealed: Uint8Array): Promise<boolean> {
    const result = await this.#pool.query(
      'INSERT INTO keystore_records (name, sealed) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
      [name, Buffer.from(sealed)],
    );
    return result.rowCount === 1;
  }

  async read(name: string): Promise<Uint8Array | undefined> {
    const row = (await this.#pool.query('SELECT sealed FROM keystore_records WHERE name = $1', [name])).rows[0] as
      | { sealed: Buffer }
      | undefined;
    return row ? new Uint8Array(row.sealed) : undefined;
  }

  async list(prefix: string): Promise<string[]> {
    const rows = (
      await this.#pool.query('SELECT name FROM keystore_records WHERE left(name, length($1)) = $1 ORDER BY name', [
        prefix,
      ])
    ).rows as Array<{ name: string }>;
    return rows.map((r) => r.name);
  }

  async remove(name: string): Promise<void> {
    await this.#pool.query('DELETE FROM keystore_records WHERE name = $1', [name]);
  }

  async close(): Promise<void> {}
}
