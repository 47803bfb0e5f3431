/**
 * The PostgreSQL connection pool every PostgreSQL store of a node shares,
 * and the schema migrations that run when it opens.
 *
 * Migrations are versioned per component ("storage", "log", "limits", ...):
 * a component registers its steps (`registerMigration`) at import time,
 * numbered from 1; `openPool` applies, in one transaction holding an
 * advisory lock (so replicas starting together do not race), every step
 * newer than the version the `schema_version` table records for its
 * component. A database whose version of a component is newer than any
 * step this code knows was migrated by a newer release: the node refuses
 * to start rather than write rows an older schema does not describe.
 * Re-running is a no-op (idempotent).
 *
 * The database URL carries a password: only `maskDatabaseUrl` forms of it
 * ever reach an error message or a log.
 * @module
 */
import pg from 'pg';

/** One step of a component's schema: the SQL that takes it from `version - 1` to `version`. */
export interface Migration {
  /** The component this step belongs to, e.g. "storage" or "log". */
  readonly name: string;
  /** 1 for the component's first step, then 2, 3, ... */
  readonly version: number;
  readonly sql: string;
}

/** Why the PostgreSQL storage cannot be used; `code` is stable, the message names no secret. */
export class PostgresStorageError extends Error {
  override name = 'PostgresStorageError';
  readonly code: 'database_unreachable' | 'schema_too_new' | 'bad_database_url' | 'bad_migration';
  constructor(code: PostgresStorageError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const COMPONENT = /^[a-z][a-z0-9_-]{0,31}$/;
const registered = new Map<string, Migration>();

/** Adds a schema step, applied by every `openPool` from now on; the same step twice is ignored. */
export function registerMigration(step: Migration): void {
  if (!COMPONENT.test(step.name) || !Number.isInteger(step.version) || step.version < 1)
    throw new PostgresStorageError('bad_migration', `storage: bad migration ${step.name} v${step.version}`);
  const key = `${step.name}/${step.version}`;
  const known = registered.get(key);
  if (known && known.sql !== step.sql)
    throw new PostgresStorageError('bad_migration', `storage: two different migrations ${key}`);
  registered.set(key, step);
}

/** The URL with its password replaced by `***` (for messages); an unparsable URL gives a placeholder. */
export function maskDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '<unparsable database URL>';
  }
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new PostgresStorageError('bad_database_url', 'storage: the database URL is not a URL');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:')
    throw new PostgresStorageError('bad_database_url', `storage: ${maskDatabaseUrl(url)} is not a postgres:// URL`);
}

/** A short reason for a failed connection: the driver's code, never its message (which may echo the URL). */
function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; errno?: unknown };
  if (typeof e?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(e.code)) return e.code;
  return (err as Error)?.name ?? 'error';
}

export interface PoolOptions {
  /** Most connections this replica opens (default 10). */
  readonly max?: number;
  /** How long to wait for the first connection (default 5000 ms). */
  readonly connectTimeoutMs?: number;
}

/**
 * A pool on `url`, checked (one connection made) and migrated; throws
 * PostgresStorageError with a one-line message naming the masked URL.
 */
export async function openPool(url: string, options: PoolOptions = {}): Promise<pg.Pool> {
  checkUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  pool.on('error', () => undefined); // an idle client's lost connection: the next query reconnects
  try {
    await migrate(pool);
    return pool;
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof PostgresStorageError) throw err;
    throw new PostgresStorageError(
      'database_unreachable',
      `storage: cannot use PostgreSQL at ${maskDatabaseUrl(url)} (${reasonOf(err)})`,
    );
  }
}

/** The advisory lock replicas take while migrating (a key of its own: a hash of this text). */
const MIGRATION_LOCK = 'dta:schema';

/** Applies every registered step newer than the database's version of its component. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_version (
         component text PRIMARY KEY, version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const rows = (await client.query('SELECT component, version FROM schema_version')).rows as Array<{
      component: string;
      version: number;
    }>;
    const current = new Map(rows.map((r) => [r.component, r.version]));
    refuseNewer(current);
    for (const step of pending(current)) {
      await client.query(step.sql);
      await client.query(
        `INSERT INTO schema_version (component, version) VALUES ($1, $2)
         ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version, applied_at = now()`,
        [step.name, step.version],
      );
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Highest known step per component. */
function latestKnown(): Map<string, number> {
  const latest = new Map<string, number>();
  for (const s of registered.values()) latest.set(s.name, Math.max(latest.get(s.name) ?? 0, s.version));
  return latest;
}

function refuseNewer(current: ReadonlyMap<string, number>): void {
  const known = latestKnown();
  for (const [component, version] of current) {
    const mine = known.get(component);
    if (mine !== undefined && version > mine)
      throw new PostgresStorageError(
        'schema_too_new',
        `storage: the database's "${component}" schema is version ${version}, this dta knows up to ${mine}: ` +
          'upgrade dta before starting this replica',
      );
  }
}

/** The steps to run, in component then version order. */
function pending(current: ReadonlyMap<string, number>): Migration[] {
  return [...registered.values()]
    .filter((s) => s.version > (current.get(s.name) ?? 0))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
}
