/**
 * The storage flags of `dta init` and `dta serve` (`--storage files|postgres`,
 * `--database-url <url>`) and what init does with them: with PostgreSQL the
 * identity document and the keystore go into the database (refused when it
 * holds a node already), and config.json is told where the state lives, so
 * replicas started later from a home holding only config.json and the
 * passphrase find it. Prefer DTA_DATABASE_URL to the flag: a flag shows in
 * `ps`. The URL is written into config.json (mode 0600) only when it came
 * from the flag; it is never printed. The storage modules (Helia's, `pg`) are
 * imported only when init runs, so the other commands start fast.
 * @module
 */
import type { ConfigFlags, NodeConfig } from '../config.ts';
import { homePaths } from '../config.ts';
import { readIfExists, writeDurable } from '../fsutil.ts';
import type { KeystoreOptions } from '../home.ts';
import type { NodeStorage } from '../storage/open.ts';
import { UsageError } from './main.ts';

type Values = Record<string, string | boolean | undefined>;

export const STORAGE_OPTIONS = { storage: { type: 'string' }, 'database-url': { type: 'string' } } as const;
export const STORAGE_USAGE = '[--storage files|postgres] [--database-url <postgres://…>]';

/** The config flags the storage options give. */
export function storageFlags(v: Values): Pick<ConfigFlags, 'storage' | 'databaseUrl'> {
  const out: Pick<ConfigFlags, 'storage' | 'databaseUrl'> = {};
  if (v.storage !== undefined) {
    if (v.storage !== 'files' && v.storage !== 'postgres')
      throw new UsageError('--storage: expected files or postgres');
    out.storage = v.storage;
  }
  if (typeof v['database-url'] === 'string') out.databaseUrl = v['database-url'];
  return out;
}

/** The storage a new home is created on, and where openHome/initHome find its identity and keystore there. */
export async function storageForInit(
  config: NodeConfig,
): Promise<{ storage: NodeStorage; home: Pick<KeystoreOptions, 'place' | 'identityDocument'> }> {
  const { homeOptionsOf, openStorage } = await import('../storage/open.ts');
  const { maskDatabaseUrl } = await import('../storage/postgres/pool.ts');
  const storage = await openStorage(config);
  try {
    if (config.storage.kind === 'postgres' && (await storage.home?.readIdentity()) !== undefined)
      throw new Error(
        `the database ${maskDatabaseUrl(config.storage.url)} already holds a node's identity: ` +
          'start another replica of it with `dta serve` and a home holding its config.json and passphrase',
      );
    return { storage, home: await homeOptionsOf(storage, config.home) };
  } catch (err) {
    await storage.close();
    throw err;
  }
}

/** Writes config.json's `storage` when the flags chose PostgreSQL; the message to print, or undefined. */
export async function rememberStorage(config: NodeConfig, v: Values): Promise<string | undefined> {
  if (config.storage.kind !== 'postgres' || (v.storage === undefined && v['database-url'] === undefined))
    return undefined;
  const path = homePaths(config.home).config;
  const text = await readIfExists(path);
  const json = text ? (JSON.parse(text.toString('utf8')) as Record<string, unknown>) : {};
  const storage =
    typeof v['database-url'] === 'string' ? { kind: 'postgres', url: config.storage.url } : { kind: 'postgres' };
  await writeDurable(path, `${JSON.stringify({ ...json, storage }, null, 2)}\n`, 0o600);
  const { maskDatabaseUrl } = await import('../storage/postgres/pool.ts');
  return `dta: wrote "storage" (postgres, ${maskDatabaseUrl(config.storage.url)}) to ${path}`;
}
