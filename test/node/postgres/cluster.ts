/**
 * A throwaway PostgreSQL cluster for a test file: initdb in a fresh temp
 * directory, trust authentication, listening on 127.0.0.1 at a free port
 * (its socket in the same temp directory), stopped with `-m immediate` and
 * removed by `stop()`. initdb refuses to run as root, so as root the
 * binaries run as the `postgres` user (runuser), which owns the directory.
 *
 * Start it once per file (beforeAll). When the binaries are absent the
 * suites skip with a message, and fail instead when $CI is set.
 * @module
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

const BIN = process.env['DTA_PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export const havePostgres = existsSync(join(BIN, 'initdb')) && existsSync(join(BIN, 'pg_ctl'));

if (!havePostgres) {
  const message = `PostgreSQL binaries not found in ${BIN} (set DTA_PG_BIN)`;
  if (process.env['CI']) throw new Error(message);
  console.warn(`${message}: PostgreSQL tests are skipped`);
}

export interface PgCluster {
  readonly port: number;
  /** URL of database `db` (default "postgres") as the superuser `postgres`, no password (trust). */
  url(db?: string): string;
  /** Creates a fresh database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when we are root. */
function pgRun(bin: string, args: string[]): Promise<unknown> {
  const cmd = join(BIN, bin);
  return asRoot
    ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout: 60_000 })
    : run(cmd, args, { timeout: 60_000 });
}

async function waitReady(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Starts a fresh cluster (see the module comment). */
export async function startPostgres(): Promise<PgCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'dta-pg-'));
  await chmod(dir, 0o700);
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=on`;
  await pgRun('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '30', 'start']);
  const url = (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`;
  try {
    await waitReady(url());
  } catch (err) {
    await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z][a-z0-9_]{0,40}$/.test(name)) throw new TypeError('bad database name');
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop() {
      await pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
