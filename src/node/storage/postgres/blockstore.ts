/**
 * A blockstore (interface-blockstore) in PostgreSQL, for Helia: a row per
 * block, keyed by the CID's multihash (as blockstore-fs keys its files, so
 * one content under two CID versions is one block), the CID kept for
 * `getAll`. Replicas share it, so an envelope one replica stored is served
 * over bitswap by every replica. A put has committed before it resolves.
 * @module
 */
import type { AbortOptions } from 'abort-error';
import type { Blockstore, InputPair, Pair } from 'interface-blockstore';
import { CID } from 'multiformats/cid';
import type pg from 'pg';
import { concat } from '../../../core/bytes.ts';

/** What Helia expects from a missing block (it checks the name). */
class BlockNotFoundError extends Error {
  override name = 'NotFoundError';
}

async function collect(bytes: InputPair['bytes']): Promise<Uint8Array> {
  if (bytes instanceof Uint8Array) return bytes;
  const parts: Uint8Array[] = [];
  for await (const part of bytes) parts.push(part);
  return parts.length === 1 ? parts[0]! : concat(...parts);
}

const keyOf = (cid: CID): Buffer => Buffer.from(cid.multihash.bytes);

export class PostgresBlockstore implements Blockstore {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    options?.signal?.throwIfAborted();
    return (await this.#pool.query('SELECT 1 FROM blocks WHERE multihash = $1', [keyOf(cid)])).rowCount === 1;
  }

  async put(cid: CID, bytes: InputPair['bytes'], options?: AbortOptions): Promise<CID> {
    options?.signal?.throwIfAborted();
    const data = Buffer.from(await collect(bytes));
    await this.#pool.query(
      'INSERT INTO blocks (multihash, cid, bytes) VALUES ($1, $2, $3) ON CONFLICT (multihash) DO NOTHING',
      [keyOf(cid), cid.toString(), data],
    );
    return cid;
  }

  async *putMany(source: Iterable<InputPair> | AsyncIterable<InputPair>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const { cid, bytes } of source) yield await this.put(cid, bytes, options);
  }

  async *get(cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> {
    options?.signal?.throwIfAborted();
    const row = (await this.#pool.query('SELECT bytes FROM blocks WHERE multihash = $1', [keyOf(cid)])).rows[0] as
      | { bytes: Buffer }
      | undefined;
    if (!row) throw new BlockNotFoundError(`block ${cid} not found`);
    yield new Uint8Array(row.bytes);
  }

  async *getMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<Pair> {
    for await (const cid of source) yield { cid, bytes: this.get(cid, options) };
  }

  async delete(cid: CID, options?: AbortOptions): Promise<void> {
    options?.signal?.throwIfAborted();
    await this.#pool.query('DELETE FROM blocks WHERE multihash = $1', [keyOf(cid)]);
  }

  async *deleteMany(source: Iterable<CID> | AsyncIterable<CID>, options?: AbortOptions): AsyncGenerator<CID> {
    for await (const cid of source) {
      await this.delete(cid, options);
      yield cid;
    }
  }

  async *getAll(options?: AbortOptions): AsyncGenerator<Pair> {
    let after: Buffer = Buffer.alloc(0);
    for (;;) {
      options?.signal?.throwIfAborted();
      const rows = (
        await this.#pool.query(
          'SELECT multihash, cid, bytes FROM blocks WHERE multihash > $1 ORDER BY multihash LIMIT 500',
          [after],
        )
      ).rows as Array<{ multihash: Buffer; cid: string; bytes: Buffer }>;
      for (const r of rows) {
        const bytes = new Uint8Array(r.bytes);
        yield {
          cid: CID.parse(r.cid),
          bytes: (async function* () {
            yield bytes;
          })(),
        };
      }
      if (rows.length < 500) return;
      after = rows[rows.length - 1]!.multihash;
    }
  }
}
