/**
 * What a home directory holds besides state, in PostgreSQL (backend.ts
 * HomeRecords): the node's identity document and the keystore sealer's meta
 * document (scrypt salt and check value), each a row of `node_home` written
 * once and never replaced, so every replica opens the same identity with
 * the same passphrase; and the sealed keystore records.
 * @module
 */
import type pg from 'pg';
import type { KeystoreMeta, SealedRecords } from '../../keystore/types.ts';
import type { HomeRecords } from '../backend.ts';
import { PostgresSealedRecords } from './keystore-records.ts';

const IDENTITY = 'identity.cbor';
const KEYSTORE_META = 'keystore/meta.json';

async function readRow(pool: pg.Pool, name: string): Promise<Uint8Array | undefined> {
  const row = (await pool.query('SELECT bytes FROM node_home WHERE name = $1', [name])).rows[0] as
    | { bytes: Buffer }
    | undefined;
  return row ? new Uint8Array(row.bytes) : undefined;
}

async function createRow(pool: pg.Pool, name: string, bytes: Uint8Array): Promise<boolean> {
  const result = await pool.query('INSERT INTO node_home (name, bytes) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    Buffer.from(bytes),
  ]);
  return result.rowCount === 1;
}

export class PostgresHomeRecords implements HomeRecords {
  readonly #pool: pg.Pool;
  readonly keystoreRecords: SealedRecords;
  readonly keystoreMeta: KeystoreMeta;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
    this.keystoreRecords = new PostgresSealedRecords(pool);
    this.keystoreMeta = {
      read: async () => {
        const bytes = await readRow(pool, KEYSTORE_META);
        return bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>) : undefined;
      },
      create: (doc) => createRow(pool, KEYSTORE_META, new TextEncoder().encode(JSON.stringify(doc))),
    };
  }

  readIdentity(): Promise<Uint8Array | undefined> {
    return readRow(this.#pool, IDENTITY);
  }

  createIdentity(bytes: Uint8Array): Promise<boolean> {
    return createRow(this.#pool, IDENTITY, bytes);
  }
}
