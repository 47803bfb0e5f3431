/**
 * The node's log in PostgreSQL: one log that every replica of a node appends to and serves
 * (docs/protocol.md#the-nodes-log). node.ts constructs it, when `storage.kind` is "postgres", in place of
 * openNodeLog, on the pool of the storage backend (importing this module registers the "log" migration, so open
 * the pool after importing it):
 *
 *   const log = await openPostgresLog({ pool, origin: home.log.origin, secretKey: home.log.secretKey });
 *
 * with `pool` the backend's data pool (storage/postgres/backend.ts). close() wipes the signer but leaves the pool
 * open: the backend owns it and ends it. Order steps append while they hold their order's lock: those locks hold
 * clients of the backend's lock pool, never of this one, so an append never waits for a connection they hold.
 *
 * Tables: `log_entries` (index, leaf hash unique, entry bytes), `log_hashes` (the tlog stored hashes (level, n), so
 * the tree can be read from the database alone), `log_checkpoint` (one row: the latest signed note, with the
 * cosignatures gathered for it) and `log_cosigned` (the cosigned notes of the newest KEPT_SIZES sizes).
 *
 * No fork across replicas: a batch of appends is one transaction that first takes a transaction-scoped advisory
 * lock, then reads the size, inserts the new entries and their hashes, and replaces the checkpoint row with a note
 * signed over the new size. Replicas therefore append one after the other, each over everything committed before,
 * and a checkpoint is only handed out once its entries and note are committed together: a replica killed
 * mid-transaction leaves nothing (PostgreSQL rolls it back and frees the lock), and a note signed in a transaction
 * that did not commit was never seen by anyone. Within one process, appends are group-committed as in the file log:
 * one transaction and one signature per batch.
 *
 * Each replica keeps in memory the entries and stored hashes it has read (they never change once committed) and
 * reads what other replicas appended when it needs a size it has not seen: a proof or tile asked for against a
 * checkpoint another replica signed. latest() and cosigned() read their row every time, so a replica always serves
 * the newest checkpoint whoever signed it.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import type { CID } from 'multiformats/cid';
import type pg from 'pg';
import { equalBytes, toHex } from '../../core/bytes.ts';
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from '../../core/tlog/checkpoint.ts';
import {
  consistencyProof,
  type HashReader,
  inclusionProof,
  leafHash,
  type StoredHash,
  storedHashesFor,
  treeHash,
} from '../../core/tlog/merkle.ts';
import {
  ed25519VerifierKey,
  type NoteSignature,
  type NoteSigner,
  openNote,
  parseNote,
  parseVerifierKey,
  signNote,
} from '../../core/tlog/note.ts';
import { parseTilePath, tileWidthAt } from '../../core/tlog/tiles.ts';
import { failpoint } from '../failpoints.ts';
import { registerMigration } from '../storage/postgres/pool.ts';
import { CoalescedRead } from './coalesced-read.ts';
import { KEPT_SIZES } from './cosigned-notes.ts';
import { LogError } from './errors.ts';
import { LocalTree } from './local-tree.ts';
import { nativeEd25519Signer } from './native-note-signer.ts';
import { withCosignatures } from './node-log.ts';
import { readTile } from './tile-serving.ts';
import type { Appended, NodeLog, SignedCheckpoint } from './types.ts';

registerMigration({
  name: 'log',
  version: 1,
  sql: `
    CREATE TABLE log_entries (
      idx bigint PRIMARY KEY CHECK (idx >= 0),
      leaf bytea NOT NULL UNIQUE CHECK (length(leaf) = 32),
      entry bytea NOT NULL);
    CREATE TABLE log_hashes (
      level integer NOT NULL, n bigint NOT NULL, hash bytea NOT NULL CHECK (length(hash) = 32),
      PRIMARY KEY (level, n));
    CREATE TABLE log_checkpoint (
      only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), size bigint NOT NULL, note text NOT NULL);
    CREATE TABLE log_cosigned (size bigint PRIMARY KEY, note text NOT NULL);`,
});

/**
 * The advisory lock every append and cosignature update holds (two-int form, whose keys never meet the bigint
 * keys other stores lock: "dta\x01", then 1 for the log).
 */
const LOCK = 'SELECT pg_advisory_xact_lock(1685348609, 1)';
const LATEST = 'SELECT note FROM log_checkpoint';
/** A batch in one statement: its entries, their stored hashes, and the checkpoint over them. */
const WRITE_BATCH = `
  WITH entries AS (
    INSERT INTO log_entries (idx, leaf, entry) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])),
  hashes AS (
    INSERT INTO log_hashes (level, n, hash) SELECT * FROM unnest($4::integer[], $5::bigint[], $6::bytea[]))
  UPDATE log_checkpoint SET size = $7, note = $8`;
/** Entries read per query when catching up with other replicas (or loading the log at open). */
const READ_PAGE = 4096;

export interface PostgresLogOptions {
  readonly pool: pg.Pool;
  readonly origin: string;
  /** The Ed25519 secret key of the log (32 bytes); the log keeps a reference, the node wipes it on close. */
  readonly secretKey: Uint8Array;
}

/** A row of log_entries. */
type EntryRow = { idx: string; leaf: Buffer; entry: Buffer };

/** A pool, or the client of a transaction. */
type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

interface Waiting {
  readonly entries: readonly Uint8Array[];
  readonly resolve: (a: Appended) => void;
  readonly reject: (e: unknown) => void;
}

/** What one committed batch added: the entries from index `from`, and the size of the checkpoint signed over them. */
interface Committed {
  readonly from: number;
  readonly fresh: readonly Uint8Array[];
  readonly size: number;
}

/** Opens the log in the database of `options.pool` and checks what it holds against its signed checkpoints. */
export async function openPostgresLog(options: PostgresLogOptions): Promise<NodeLog> {
  const log = new PostgresLog(options);
  try {
    await log.check();
    return log;
  } catch (err) {
    await log.close();
    throw err;
  }
}

class PostgresLog implements NodeLog {
  readonly origin: string;
  readonly verifierKey: string;
  readonly #pool: pg.Pool;
  readonly #signer: NoteSigner & { wipe(): void };
  readonly #tree = new LocalTree();
  #treeLock: Promise<unknown> = Promise.resolve();
  #reading: Promise<void> | undefined;
  /** The latest note, read once for every caller waiting (many order steps ask at once). */
  readonly #latestNote = new CoalescedRead(() => this.#checkpointRow());
  /** The largest checkpoint size seen: proofs up to it need no query (sizes only grow). */
  #signedSize = 0;
  #queue: Waiting[] = [];
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(options: PostgresLogOptions) {
    this.origin = options.origin;
    this.verifierKey = ed25519VerifierKey(options.origin, ed25519.getPublicKey(options.secretKey));
    this.#pool = options.pool;
    this.#signer = nativeEd25519Signer(options.origin, options.secretKey);
  }

  /**
   * At open: the empty log's checkpoint stored if there is none (it is the same note from any replica), then the
   * stored checkpoint and cosigned notes checked against the entries, as the file log checks its files.
   */
  async check(): Promise<void> {
    const empty = await this.#signedAt(0);
    await this.#pool.query('INSERT INTO log_checkpoint (size, note) VALUES (0, $1) ON CONFLICT DO NOTHING', [
      empty.note,
    ]);
    await this.#checkStored(await this.#checkpointRow());
    const { rows } = await this.#pool.query<{ note: string }>('SELECT note FROM log_cosigned');
    for (const row of rows) await this.#checkStored(row.note);
  }

  async #checkStored(note: string): Promise<SignedCheckpoint> {
    let checkpoint: Checkpoint;
    try {
      checkpoint = parseCheckpoint(openNote(note, [parseVerifierKey(this.verifierKey)]).text);
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'error';
      throw new LogError('log_corrupt', `the checkpoint in the database is not one the log key signed (${code})`);
    }
    if (checkpoint.origin !== this.origin) {
      throw new LogError('log_corrupt', 'the checkpoint in the database names another origin');
    }
    await this.#syncTo(checkpoint.size);
    if (!equalBytes(await treeHash(checkpoint.size, this.#tree.read), checkpoint.root)) {
      throw new LogError('log_corrupt', `the entries do not hash to the root of the checkpoint of ${checkpoint.size}`);
    }
    this.#sawSize(checkpoint.size);
    return { checkpoint, note };
  }

  async #checkpointRow(): Promise<string> {
    const { rows } = await this.#pool.query<{ note: string }>(LATEST);
    if (!rows[0]) throw new LogError('log_corrupt', 'the database holds no checkpoint of the log');
    return rows[0].note;
  }

  /** The checkpoint of `size` signed by the log key (a function of the entries: the same note every time). */
  async #signedAt(size: number, read: HashReader = this.#tree.read): Promise<SignedCheckpoint> {
    const checkpoint: Checkpoint = { origin: this.origin, size, root: await treeHash(size, read), extensions: [] };
    return { checkpoint, note: signNote(formatCheckpoint(checkpoint), [this.#signer]) };
  }

  #sawSize(size: number): void {
    if (size > this.#signedSize) this.#signedSize = size;
  }

  /**
   * Brings the in-memory tree to at least `size` entries (a size some committed checkpoint has): from `known` (a batch
   * this replica just committed) when it starts where the tree ends, otherwise from the database, through `db` inside
   * a transaction. The tree lock is held while rows are taken in, never across a query, so a transaction holding the
   * log's advisory lock never waits behind another caller's round trip.
   */
  async #syncTo(size: number, known?: Committed, db?: Queryable): Promise<void> {
    if (known) await this.#growTree(() => this.#takeEntries(known.from, known.fresh));
    while (this.#tree.size < size) {
      const read = db ? { done: this.#readEntries(db), ours: true } : this.#catchUp();
      await read.done;
      // A read that began after `size` was committed and still falls short: rows are missing.
      if (read.ours && this.#tree.size < size) {
        throw new LogError('log_corrupt', `the database holds ${this.#tree.size} entries, a checkpoint ${size}`);
      }
    }
  }

  /** One read at a time outside transactions, shared by the callers that arrive while it runs (`ours`: not joined). */
  #catchUp(): { done: Promise<void>; ours: boolean } {
    if (this.#reading) return { done: this.#reading, ours: false };
    const done = this.#readEntries(this.#pool).finally(() => {
      this.#reading = undefined;
    });
    this.#reading = done;
    return { done, ours: true };
  }

  /** Runs `fn`, which adds to the tree, alone: two reads' rows and a batch's own entries must not interleave. */
  #growTree(fn: () => Promise<void>): Promise<void> {
    const run = this.#treeLock.then(fn);
    this.#treeLock = run.catch(() => undefined);
    return run;
  }

  /** Entries from index `from` into the tree, skipping those it has; nothing when they start past its end. */
  async #takeEntries(from: number, entries: readonly Uint8Array[]): Promise<void> {
    if (from > this.#tree.size) return;
    for (const entry of entries.slice(this.#tree.size - from)) await this.#tree.remember(entry);
  }

  /**
   * Every entry past the tree's end that a committed checkpoint covers (read in the same snapshot, so a row no append
   * wrote never enters the tree), in pages.
   */
  async #readEntries(db: Queryable): Promise<void> {
    for (;;) {
      const { rows } = await db.query<EntryRow>(
        `SELECT idx, leaf, entry FROM log_entries WHERE idx >= $1 AND idx < (SELECT size FROM log_checkpoint)
         ORDER BY idx LIMIT $2`,
        [this.#tree.size, READ_PAGE],
      );
      await this.#growTree(() => this.#takeRows(rows));
      if (rows.length < READ_PAGE) return;
    }
  }

  /** Rows of log_entries into the tree, each checked against its index and leaf hash; those it has are skipped. */
  async #takeRows(rows: readonly EntryRow[]): Promise<void> {
    for (const row of rows) {
      const index = Number(row.idx);
      if (index < this.#tree.size) continue;
      if (index > this.#tree.size) {
        throw new LogError('log_corrupt', `the entries in the database skip from ${this.#tree.size} to ${row.idx}`);
      }
      const leaf = await this.#tree.remember(new Uint8Array(row.entry));
      if (!equalBytes(leaf, row.leaf)) {
        throw new LogError('log_corrupt', `entry ${row.idx} in the database does not have its stored leaf hash`);
      }
    }
  }

  append(entries: readonly Uint8Array[]): Promise<Appended> {
    if (this.#closed) return Promise.reject(new LogError('log_unavailable', 'the log is closed'));
    return new Promise((resolve, reject) => {
      this.#queue.push({ entries, resolve, reject });
      this.#kick();
    });
  }

  #kick(): void {
    if (this.#running || this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.#running = this.#commit(batch).finally(() => {
      this.#running = undefined;
      this.#kick();
    });
  }

  /** One batch: one transaction (see the module's note), then every caller answered. */
  async #commit(batch: readonly Waiting[]): Promise<void> {
    try {
      const committed = await this.#transaction((client, note) => this.#appendLocked(client, note, batch));
      await this.#syncTo(committed.size, committed);
      this.#sawSize(committed.size);
      for (const w of batch) {
        const indices = w.entries.map((e) => this.#indexOfEntry(e));
        w.resolve({ first: indices[0] ?? committed.size, size: committed.size, indices });
      }
    } catch (err) {
      const failure = err instanceof LogError ? err : unavailable(err);
      for (const w of batch) w.reject(failure);
    }
  }

  /** Under the lock: the new entries inserted with their stored hashes, and the checkpoint over them. */
  async #appendLocked(client: pg.PoolClient, latestNote: string, batch: readonly Waiting[]): Promise<Committed> {
    const from = parseCheckpoint(parseNote(latestNote).text).size;
    await this.#syncTo(from, undefined, client);
    const fresh = this.#newEntries(batch.flatMap((w) => w.entries));
    if (fresh.length === 0) return { from, fresh, size: from };
    const { hashes, read } = await this.#stage(from, fresh);
    const leaves = fresh.map((e) => Buffer.from(leafHash(e)));
    const size = from + fresh.length;
    const signed = await this.#signedAt(size, read);
    await client.query(WRITE_BATCH, [
      fresh.map((_, i) => from + i),
      leaves,
      fresh.map((e) => Buffer.from(e)),
      hashes.map((h) => h.level),
      hashes.map((h) => h.n),
      hashes.map((h) => Buffer.from(h.hash)),
      size,
      signed.note,
    ]);
    failpoint('log:before-commit');
    return { from, fresh, size };
  }

  /** The stored hashes `fresh` completes from index `from`, and a reader over them and the tree (left untouched). */
  async #stage(from: number, fresh: readonly Uint8Array[]): Promise<{ hashes: StoredHash[]; read: HashReader }> {
    const staged = new Map<string, Uint8Array>();
    const read: HashReader = (level, n) => staged.get(`${level}/${n}`) ?? this.#tree.read(level, n);
    const hashes: StoredHash[] = [];
    for (const [i, entry] of fresh.entries()) {
      for (const h of await storedHashesFor(from + i, leafHash(entry), read)) {
        staged.set(`${h.level}/${h.n}`, h.hash);
        hashes.push(h);
      }
    }
    return { hashes, read };
  }

  /** The entries not in the log yet, each once. */
  #newEntries(entries: readonly Uint8Array[]): Uint8Array[] {
    const seen = new Set<string>();
    return entries.filter((e) => {
      const key = toHex(leafHash(e));
      if (seen.has(key) || this.#tree.indexOfLeaf(key) !== undefined) return false;
      seen.add(key);
      return true;
    });
  }

  #indexOfEntry(entry: Uint8Array): number {
    const index = this.#tree.indexOfLeaf(toHex(leafHash(entry)));
    if (index === undefined) throw new Error('log: an appended entry is not indexed');
    return index;
  }

  /**
   * Runs `fn` in a transaction holding the log's advisory lock, on a client of its own, with the latest note as
   * committed before the lock was granted (read after it: each statement has its own snapshot in READ COMMITTED).
   */
  async #transaction<T>(fn: (client: pg.PoolClient, latestNote: string) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      // One round trip (no parameters: the statements go as one simple query), which also brings what other replicas
      // appended since this one last read, as far as one page goes.
      const from = this.#tree.size;
      const results = (await client.query(
        `BEGIN; ${LOCK}; ${LATEST}; SELECT idx, leaf, entry FROM log_entries
         WHERE idx >= ${from} AND idx < (SELECT size FROM log_checkpoint) ORDER BY idx LIMIT ${READ_PAGE}`,
      )) as unknown as pg.QueryResult[];
      const note = (results[2]?.rows[0] as { note?: string } | undefined)?.note;
      if (note === undefined) throw new LogError('log_corrupt', 'the database holds no checkpoint of the log');
      await this.#growTree(() => this.#takeRows((results[3]?.rows ?? []) as EntryRow[]));
      const result = await fn(client, note);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A client whose connection failed is dropped, not handed to the next caller.
      client.release(err instanceof Error ? err : true);
      throw err;
    }
  }

  async latest(): Promise<SignedCheckpoint> {
    const note = await this.#latestNote.get();
    const checkpoint = parseCheckpoint(parseNote(note).text);
    this.#sawSize(checkpoint.size);
    return { checkpoint, note };
  }

  async inclusionProof(index: number, size: number): Promise<Uint8Array[]> {
    await this.#assertSigned(size);
    return inclusionProof(index, size, this.#tree.read);
  }

  async consistencyProof(size1: number, size2: number): Promise<Uint8Array[]> {
    await this.#assertSigned(size2);
    return consistencyProof(size1, size2, this.#tree.read);
  }

  /** out_of_range unless a checkpoint of at least `size` was signed; the tree then read up to it. */
  async #assertSigned(size: number): Promise<void> {
    if (size > this.#signedSize) await this.latest();
    if (size > this.#signedSize) throw new LogError('out_of_range', `size ${size} is beyond the latest checkpoint`);
    await this.#syncTo(size);
  }

  async tile(path: string): Promise<Uint8Array | undefined> {
    // A tile within a size already seen is served without a query; a wider one asks for the latest first.
    if (!this.#withinSeen(path)) await this.latest();
    await this.#syncTo(this.#signedSize);
    return readTile(path, this.#signedSize, this.#tree.read, this.#tree.entries);
  }

  #withinSeen(path: string): boolean {
    try {
      const at = parseTilePath(path);
      return at.width <= tileWidthAt(at.level, at.n, this.#signedSize);
    } catch {
      return true; // not a tile path: readTile refuses it whatever the size
    }
  }

  async indexOf(key: Uint8Array | CID | string): Promise<number | undefined> {
    const local = this.#tree.lookup(key);
    if (local !== undefined) return local;
    // Not here: perhaps appended by another replica since this one last read.
    await this.#catchUp().done;
    return this.#tree.lookup(key);
  }

  async cosigned(): Promise<SignedCheckpoint | undefined> {
    const { rows } = await this.#pool.query<{ note: string }>(
      'SELECT note FROM log_cosigned ORDER BY size DESC LIMIT 1',
    );
    if (!rows[0]) return undefined;
    return { checkpoint: parseCheckpoint(parseNote(rows[0].note).text), note: rows[0].note };
  }

  async addCosignatures(size: number, sigs: readonly NoteSignature[]): Promise<boolean> {
    if (sigs.length === 0) return false;
    return this.#transaction(async (client, latestNote) => {
      const latestSize = parseCheckpoint(parseNote(latestNote).text).size;
      if (size > latestSize) return false;
      const { rows } = await client.query<{ size: string; note: string }>('SELECT size, note FROM log_cosigned');
      const kept = new Map(rows.map((r) => [Number(r.size), r.note]));
      if (!kept.has(size) && kept.size >= KEPT_SIZES && size < Math.min(...kept.keys())) return false;
      await this.#syncTo(size, undefined, client);
      const base = size === latestSize ? latestNote : (await this.#signedAt(size)).note;
      const earlier = kept.get(size);
      const note = withCosignatures(base, [...(earlier ? parseNote(earlier).signatures : []), ...sigs]);
      await client.query(
        'INSERT INTO log_cosigned (size, note) VALUES ($1, $2) ON CONFLICT (size) DO UPDATE SET note = $2',
        [size, note],
      );
      await client.query(
        'DELETE FROM log_cosigned WHERE size NOT IN (SELECT size FROM log_cosigned ORDER BY size DESC LIMIT $1)',
        [KEPT_SIZES],
      );
      if (size === latestSize) await client.query('UPDATE log_checkpoint SET note = $1', [note]);
      return true;
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#running?.catch(() => undefined);
    this.#signer.wipe();
  }
}

/** A failed transaction: the database's error code (SQLSTATE or a connection code), never its message. */
function unavailable(err: unknown): LogError {
  const code = (err as { code?: unknown })?.code;
  const reason = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : '';
  return new LogError('log_unavailable', `the log could not be written to the database${reason}`);
}
