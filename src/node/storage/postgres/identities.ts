/**
 * Registered identity documents in PostgreSQL (backend.ts
 * IdentityDocuments): a row per document, created once (INSERT … ON
 * CONFLICT DO NOTHING), never replaced. IdentityRegistry verifies every
 * document it reads, so a row is trusted no more than a file would be.
 * @module
 */
import { CID } from 'multiformats/cid';
import type pg from 'pg';
import type { IdentityDocuments } from '../backend.ts';

export class PostgresIdentities implements IdentityDocuments {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async create(cid: CID, bytes: Uint8Array): Promise<boolean> {
    const result = await this.#pool.query(
      'INSERT INTO identities (cid, bytes) VALUES ($1, $2) ON CONFLICT (cid) DO NOTHING',
      [cid.toString(), Buffer.from(bytes)],
    );
    return result.rowCount === 1;
  }

  async get(cid: CID): Promise<Uint8Array | undefined> {
    const row = (await this.#pool.query('SELECT bytes FROM identities WHERE cid = $1', [cid.toString()])).rows[0] as
      | { bytes: Buffer }
      | undefined;
    return row ? new Uint8Array(row.bytes) : undefined;
  }

  async list(): Promise<CID[]> {
    const rows = (await this.#pool.query('SELECT cid FROM identities ORDER BY cid COLLATE "C"')).rows as Array<{
      cid: string;
    }>;
    return rows.flatMap((r) => {
      try {
        return [CID.parse(r.cid)];
      } catch {
        return [];
      }
    });
  }
}
