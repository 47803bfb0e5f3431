// The node's log in PostgreSQL (src/node/log/postgres-log.ts) on a real throwaway cluster. First the behaviour the
// file log is tested for, as one test body run over both implementations (group commit, entries once, proofs,
// tiles a client can prove from, reopening, cosigned notes of earlier sizes). Then what only a shared log has to
// show: two instances on one database (two replicas) appending concurrently give one log (every checkpoint verifies,
// no size with two roots, every inclusion proof verifies, each replica serves what the other appended); a
// database whose entries contradict the signed checkpoint is refused; an appender killed with SIGKILL inside its
// transaction (failpoint) or from outside mid-burst leaves a log that opens, holds every acknowledged entry and
// continues.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import * as Digest from 'multiformats/hashes/digest';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/core/bytes.ts';
import { logEntry } from '../../../src/core/protocol/log-entry.ts';
import { type Checkpoint, parseCheckpoint } from '../../../src/core/tlog/checkpoint.ts';
import { cosigner } from '../../../src/core/tlog/cosignature.ts';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  verifyConsistency,
  verifyInclusion,
} from '../../../src/core/tlog/merkle.ts';
import { openNote, parseVerifierKey } from '../../../src/core/tlog/note.ts';
import { entriesPath, parseEntryBundle, tileReader } from '../../../src/core/tlog/tiles.ts';
import { logOrigin } from '../../../src/node/log/binding.ts';
import { KEPT_SIZES } from '../../../src/node/log/cosigned-notes.ts';
import { openNodeLog } from '../../../src/node/log/node-log.ts';
import { openPostgresLog } from '../../../src/node/log/postgres-log.ts';
import type { NodeLog } from '../../../src/node/log/types.ts';
import { openPool } from '../../../src/node/storage/postgres/pool.ts';
import { NODE_BIN, tempDir, waitFor } from '../harness.ts';
import { havePostgres, type PgCluster, startPostgres } from './cluster.ts';

const secretKey = sha256(utf8('log-postgres test key, not a secret'));
const origin = logOrigin(ed25519.getPublicKey(secretKey));

/** An envelope entry naming the CID of `text`. */
const entry = (text: string): Uint8Array =>
  logEntry('envelope', CID.createV1(0x71, Digest.create(0x12, sha256(utf8(text)))));

/** A checkpoint note, verified with the log key. */
function verified(log: NodeLog, note: string): Checkpoint {
  return parseCheckpoint(openNote(note, [parseVerifierKey(log.verifierKey)]).text);
}

let cluster: PgCluster;
let tmp: { dir: string; cleanup: () => Promise<void> };
const pools: pg.Pool[] = [];

/** A pool on a fresh database (migrated: the log's schema included). */
async function freshDatabase(name: string): Promise<{ url: string; pool: pg.Pool }> {
  const url = await cluster.createDatabase(name);
  return { url, pool: await poolOn(url) };
}

async function poolOn(url: string): Promise<pg.Pool> {
  const pool = await openPool(url, { max: 4 });
  pools.push(pool);
  return pool;
}

/** An implementation under test: `open(store)` opens (or reopens) the log kept under the name `store`. */
interface Implementation {
  readonly name: string;
  open(store: string): Promise<NodeLog>;
}

const fileLog: Implementation = {
  name: 'file',
  open: (store) => openNodeLog({ dir: join(tmp.dir, store), origin, secretKey: secretKey.slice() }),
};

const databases = new Map<string, pg.Pool>();
const postgresLog: Implementation = {
  name: 'postgres',
  async open(store) {
    let pool = databases.get(store);
    if (!pool) {
      pool = (await freshDatabase(store)).pool;
      databases.set(store, pool);
    }
    return openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
  },
};

beforeAll(async () => {
  tmp = await tempDir('dta-log-postgres-');
  if (havePostgres) cluster = await startPostgres();
}, 90_000);
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await cluster?.stop();
  await tmp?.cleanup();
});

describe.skipIf(!havePostgres).each([fileLog, postgresLog])('the log behaviour, $name', (impl) => {
  const store = (what: string) => `${impl.name}_${what}`;

  it('group-commits concurrent appends under one checkpoint, keeps each entry once, proves inclusion', async () => {
    const log = await impl.open(store('group'));
    expect(verified(log, (await log.latest()).note).size).toBe(0);
    const batches = Array.from({ length: 40 }, (_, i) => [entry(`a${i}`), entry(`b${i}`)]);
    const results = await Promise.all(batches.map((b) => log.append(b)));
    const latest = verified(log, (await log.latest()).note);
    expect(latest.size).toBe(80);
    expect(new Set(results.map((r) => r.size)).size).toBeLessThan(40); // shared batches
    expect(new Set(results.flatMap((r) => r.indices)).size).toBe(80);
    for (const [i, b] of batches.entries()) {
      for (const [j, e] of b.entries()) {
        const index = results[i]!.indices[j]!;
        expect(results[i]!.size).toBeGreaterThan(index);
        verifyInclusion(leafHash(e), index, latest.size, await log.inclusionProof(index, latest.size), latest.root);
      }
    }
    const again = await log.append(batches[3]!);
    expect([again.indices, again.size]).toEqual([results[3]!.indices, 80]);
    expect(await log.indexOf(leafHash(batches[5]![1]!))).toBe(results[5]!.indices[1]);
    expect(await log.indexOf(CID.decode(batches[6]![0]!.subarray(1)))).toBe(results[6]!.indices[0]);
    expect(await log.indexOf(leafHash(entry('never appended')))).toBeUndefined();
    await expect(log.inclusionProof(0, 81)).rejects.toMatchObject({ name: 'LogError', code: 'out_of_range' });
    await log.close();
  });

  it('serves tiles and entry bundles a client proves from, up to the latest checkpoint and not beyond', async () => {
    const log = await impl.open(store('tiles'));
    const all = Array.from({ length: 300 }, (_, i) => entry(`tile ${i}`));
    await log.append(all.slice(0, 260));
    const older = verified(log, (await log.latest()).note);
    await log.append(all.slice(260));
    const newer = verified(log, (await log.latest()).note);
    const fetchTile = async (path: string) => {
      const bytes = await log.tile(path);
      if (!bytes) throw new Error(`no tile ${path}`);
      return bytes;
    };
    const read = tileReader(fetchTile, newer.size);
    verifyConsistency(
      older.size,
      newer.size,
      await consistencyProof(older.size, newer.size, read),
      older.root,
      newer.root,
    );
    expect(await inclusionProof(270, newer.size, read)).toEqual(await log.inclusionProof(270, newer.size));
    expect(parseEntryBundle(await fetchTile(entriesPath(1, 44)))).toEqual(all.slice(256, 300));
    expect(parseEntryBundle(await fetchTile(entriesPath(1, 4)))).toEqual(all.slice(256, 260)); // a narrower one
    expect(await log.tile(entriesPath(1, 45))).toBeUndefined();
    expect(await log.tile('tile/0/001.p/45')).toBeUndefined();
    expect(await log.tile('not/a/tile')).toBeUndefined();
    await log.close();
  });

  it('reopened, hands out the same checkpoint and continues consistently', async () => {
    let log = await impl.open(store('reopen'));
    await log.append(Array.from({ length: 13 }, (_, i) => entry(`r${i}`)));
    const { note } = await log.latest();
    const before = verified(log, note);
    await log.close();
    log = await impl.open(store('reopen'));
    expect((await log.latest()).note).toBe(note);
    expect((await log.append([entry('after the reopen')])).indices).toEqual([13]);
    const after = verified(log, (await log.latest()).note);
    verifyConsistency(13, after.size, await log.consistencyProof(13, after.size), before.root, after.root);
    await log.close();
  });

  it('keeps cosignatures of earlier sizes with their own note, one line per witness, bounded and durable', async () => {
    let log = await impl.open(store('cosigned'));
    expect(await log.cosigned()).toBeUndefined();
    const textOf = (note: string) => note.slice(0, note.lastIndexOf('\n\n') + 1);
    const south = cosigner('south.example/log', sha256(utf8('south, not a secret')));
    const east = cosigner('east.example/log', sha256(utf8('east, not a secret')));
    const notes: string[] = [];
    for (let i = 0; i < KEPT_SIZES + 2; i++) {
      await log.append([entry(`cosigned ${i}`)]);
      notes.push((await log.latest()).note);
    }
    const size = (note: string) => parseCheckpoint(textOf(note)).size;
    const two = notes[1]!;
    expect(await log.addCosignatures(size(two), [south.cosign(textOf(two), 1000)])).toBe(true);
    expect(await log.addCosignatures(size(two), [east.cosign(textOf(two), 1001)])).toBe(true);
    expect(await log.addCosignatures(size(two), [south.cosign(textOf(two), 1002)])).toBe(true);
    const kept = (await log.cosigned())!;
    expect(kept.note.startsWith(two)).toBe(true); // the very note the log signed at that size
    expect(kept.note.split('\n').filter((l) => l.startsWith('— ')).length).toBe(3);
    const latest = await log.latest();
    expect(await log.addCosignatures(latest.checkpoint.size + 1, [south.cosign(textOf(two), 1)])).toBe(false);
    for (const note of notes.slice(2))
      expect(await log.addCosignatures(size(note), [east.cosign(textOf(note), 5)])).toBe(true);
    expect(await log.addCosignatures(size(notes[0]!), [east.cosign(textOf(notes[0]!), 5)])).toBe(false);
    const newest = (await log.cosigned())!;
    expect(newest.checkpoint.size).toBe(latest.checkpoint.size);
    expect((await log.latest()).note).toBe(newest.note); // the latest's cosignatures are on both
    await log.close();
    log = await impl.open(store('cosigned'));
    expect(await log.cosigned()).toEqual(newest);
    await log.close();
  });
});

describe.skipIf(!havePostgres)('two replicas on one database', () => {
  it('appending concurrently give one log: no size signed twice, every proof verifies on both', async () => {
    const { url, pool } = await freshDatabase('replicas');
    const a = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    const b = await openPostgresLog({ pool: await poolOn(url), origin, secretKey: secretKey.slice() });
    const seen = new Map<number, string>(); // size -> root (base64) of every checkpoint either replica handed out
    const record = async (log: NodeLog) => {
      const c = verified(log, (await log.latest()).note);
      const root = Buffer.from(c.root).toString('base64');
      expect(seen.get(c.size) ?? root).toBe(root);
      seen.set(c.size, root);
    };
    const shared = entry('sent to both replicas');
    const work = (log: NodeLog, name: string) =>
      Array.from({ length: 30 }, async (_, i) => {
        const given = [entry(`${name} ${i}`), ...(i % 10 === 0 ? [shared] : [])];
        const appended = await log.append(given);
        await record(log);
        return given.map((e, j) => ({ e, index: appended.indices[j]! }));
      });
    const placed = (await Promise.all([...work(a, 'a'), ...work(b, 'b')])).flat();
    const final = verified(a, (await b.latest()).note);
    expect(final.size).toBe(61); // 60 distinct entries and the shared one, once
    expect(new Set(placed.filter((p) => p.e === shared).map((p) => p.index)).size).toBe(1);
    expect(new Set(placed.map((p) => p.index)).size).toBe(61);
    for (const log of [a, b]) {
      for (const { e, index } of placed) {
        verifyInclusion(leafHash(e), index, final.size, await log.inclusionProof(index, final.size), final.root);
      }
    }
    // every checkpoint handed out is a prefix of the final one
    for (const [size, root] of seen) {
      if (size === 0 || size === final.size) continue;
      const proof = await a.consistencyProof(size, final.size);
      verifyConsistency(size, final.size, proof, Buffer.from(root, 'base64'), final.root);
    }
    // what one replica appends, the other serves at once: its checkpoint, its index, its tiles
    await a.append([entry('only through a')]);
    const viaB = verified(b, (await b.latest()).note);
    expect(viaB.size).toBe(62);
    expect(await b.indexOf(leafHash(entry('only through a')))).toBe(61);
    expect(parseEntryBundle((await b.tile(entriesPath(0, 62)))!).at(-1)).toEqual(entry('only through a'));
    const rows = await pool.query('SELECT count(*)::int AS n FROM log_hashes');
    expect(rows.rows[0].n).toBeGreaterThanOrEqual(62);
    await a.close();
    await b.close();
  });

  it('a failed transaction changes nothing: the append is refused, the next one lands where it should', async () => {
    const { pool } = await freshDatabase('failed_transaction');
    const log = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    await log.append([entry('first')]);
    const before = (await log.latest()).note;
    // a row in the way of the next index (as no replica would write it): the batch's insert fails
    const stray = entry('stray');
    await pool.query('INSERT INTO log_entries (idx, leaf, entry) VALUES (1, $1, $2)', [
      Buffer.from(leafHash(stray)),
      Buffer.from(stray),
    ]);
    expect(await log.indexOf(leafHash(stray))).toBeUndefined(); // beyond the checkpoint: not part of the log
    await expect(log.append([entry('second')])).rejects.toMatchObject({
      name: 'LogError',
      code: 'log_unavailable',
      message: 'the log could not be written to the database (23505)',
    });
    expect((await log.latest()).note).toBe(before);
    await pool.query('DELETE FROM log_entries WHERE idx = 1');
    expect((await log.append([entry('second')])).indices).toEqual([1]);
    const latest = verified(log, (await log.latest()).note);
    verifyInclusion(leafHash(entry('second')), 1, 2, await log.inclusionProof(1, 2), latest.root);
    await log.close();
  });

  it('refuses a database whose entries contradict the signed checkpoint', async () => {
    const { pool } = await freshDatabase('contradicted');
    const log = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    await log.append([entry('x'), entry('y'), entry('z')]);
    await log.close();
    const other = entry('not x');
    await pool.query('UPDATE log_entries SET entry = $1, leaf = $2 WHERE idx = 0', [
      Buffer.from(other),
      Buffer.from(leafHash(other)),
    ]);
    const open = () => openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    await expect(open()).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    await pool.query('DELETE FROM log_entries WHERE idx = 2');
    await expect(open()).rejects.toMatchObject({ name: 'LogError', code: 'log_corrupt' });
    const stranger = sha256(utf8('another key'));
    await expect(openPostgresLog({ pool, origin, secretKey: stranger })).rejects.toMatchObject({
      code: 'log_corrupt',
    });
  });
});

const APPENDER = join(import.meta.dirname, 'log-appender.ts');

interface Appender {
  output(): string;
  readonly exited: Promise<number | string>;
  kill(): Promise<number | string>;
}

/** Runs log-appender.ts on the database at `url` (the log's key given as hex: a test key, not a secret). */
function spawnAppender(url: string, options: { prefix: string; failpoint?: string }): Appender {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DTA_TEST_DATABASE_URL: url,
    DTA_TEST_LOG_KEY: Buffer.from(secretKey).toString('hex'),
    DTA_TEST_PREFIX: options.prefix,
    ...(options.failpoint ? { DTA_FAILPOINT: options.failpoint } : {}),
  };
  const proc = spawn(NODE_BIN, [APPENDER], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => proc.on('exit', (code, sig) => resolve(code ?? sig ?? -1)));
  return {
    output: () => out,
    exited,
    kill: () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      return exited;
    },
  };
}

describe.skipIf(!havePostgres)('an appender killed with SIGKILL', () => {
  let child: Appender | undefined;
  afterAll(async () => {
    await child?.kill();
  });

  it('inside its transaction: nothing of it is in the log, which opens and continues at once', async () => {
    const { url, pool } = await freshDatabase('killed_inside');
    const log = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    await log.append([entry('before the crash')]);
    const before = (await log.latest()).note;
    child = spawnAppender(url, { failpoint: 'log:before-commit', prefix: 'inside' });
    expect(await child.exited).toBe('SIGKILL');
    const reopened = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    expect((await reopened.latest()).note).toBe(before);
    expect(await reopened.indexOf(leafHash(entry('inside 0')))).toBeUndefined();
    // the killed transaction's lock is gone: the next append commits (bounded by the test's timeout)
    expect((await reopened.append([entry('after the crash')])).indices).toEqual([1]);
    expect((await log.latest()).checkpoint.size).toBe(2);
    await log.close();
    await reopened.close();
  });

  it('from outside mid-burst: every acknowledged entry is in the log, proven, and the log continues', async () => {
    const { url, pool } = await freshDatabase('killed_outside');
    child = spawnAppender(url, { prefix: 'burst' });
    const acked = () => [...child!.output().matchAll(/^appended (\d+) at (\d+) size (\d+)$/gm)];
    await waitFor(() => acked().length >= 40 || undefined, 30_000);
    expect(await child.kill()).toBe('SIGKILL');
    const log = await openPostgresLog({ pool, origin, secretKey: secretKey.slice() });
    const latest = verified(log, (await log.latest()).note);
    for (const [, i, index, size] of acked()) {
      expect(latest.size).toBeGreaterThanOrEqual(Number(size));
      const e = entry(`burst ${i}`);
      expect(await log.indexOf(leafHash(e))).toBe(Number(index));
      verifyInclusion(
        leafHash(e),
        Number(index),
        latest.size,
        await log.inclusionProof(Number(index), latest.size),
        latest.root,
      );
    }
    const grown = await log.append([entry('after the burst')]);
    expect(grown.indices).toEqual([latest.size]);
    const after = verified(log, (await log.latest()).note);
    verifyConsistency(
      latest.size,
      after.size,
      await log.consistencyProof(latest.size, after.size),
      latest.root,
      after.root,
    );
    await log.close();
  });
});
