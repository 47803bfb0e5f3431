/**
 * config.json's `storage`: where the node keeps its state (backend.ts).
 * `{"kind": "files"}` (the default: under the home) or `{"kind": "postgres",
 * "url": "postgres://…"}`. The URL may instead come from `--database-url`
 * or the DTA_DATABASE_URL environment variable (stronger, in that order),
 * which is removed from the environment once read so child processes and
 * later readers never see it. The URL is never printed: messages show it
 * through maskDatabaseUrl (postgres/pool.ts).
 * @module
 */
import { type Check, oneOf, struct, text } from '../../core/schema.ts';

export type StorageSettings = { readonly kind: 'files' } | { readonly kind: 'postgres'; readonly url: string };

/** The check of config.json's `storage` key. */
export const STORAGE: Check<{ kind: 'files' | 'postgres'; url?: string }> = struct(
  { kind: oneOf(['files', 'postgres'] as const) },
  { url: text({ minBytes: 11, maxBytes: 2048, pattern: /^postgres(ql)?:\/\/\S+$/, what: 'a postgres:// URL' }) },
);

/** Thrown as the config loader's ConfigError by config.ts. */
export class StorageSettingsError extends Error {
  override name = 'StorageSettingsError';
}

/** What DTA_DATABASE_URL held in each environment read (a process reads its config more than once). */
const readUrls = new WeakMap<NodeJS.ProcessEnv, string | undefined>();

function databaseUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DTA_DATABASE_URL !== undefined) {
    readUrls.set(env, env.DTA_DATABASE_URL || undefined);
    delete env.DTA_DATABASE_URL;
  }
  return readUrls.get(env);
}

/**
 * The storage a node uses: flags, then the environment, then config.json.
 * A database URL alone (flag or environment) means PostgreSQL.
 */
export function storageSettings(
  file: ReturnType<typeof STORAGE> | undefined,
  flags: { storage?: 'files' | 'postgres'; databaseUrl?: string },
  env: NodeJS.ProcessEnv,
): StorageSettings {
  const fromEnv = databaseUrlFrom(env);
  const kind = flags.storage ?? file?.kind ?? (flags.databaseUrl || fromEnv ? 'postgres' : 'files');
  if (kind === 'files') return { kind };
  const url = flags.databaseUrl ?? fromEnv ?? file?.url;
  if (!url)
    throw new StorageSettingsError(
      'storage "postgres" needs a database URL: set DTA_DATABASE_URL, --database-url or "storage": {"url": …}',
    );
  if (!/^postgres(ql)?:\/\/\S+$/.test(url)) throw new StorageSettingsError('the database URL is not a postgres:// URL');
  return { kind, url };
}
