/**
 * Opening a node's storage as config.json's `storage` says (settings.ts),
 * and the parts of the node that must be one for all replicas when the
 * state is in PostgreSQL: the home (identity document and keystore), the
 * transparency log, rate limits and quotas. With files, each keeps its
 * per-home form. The PostgreSQL modules (and `pg`) are imported only when
 * configured.
 * @module
 */
import { join } from 'node:path';
import type { NodeConfig } from '../config.ts';
import type { KeystoreOptions } from '../home.ts';
import { FileRecords } from '../keystore/file-records.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import type { UsageStore } from '../limits/usage-store.ts';
import { openNodeLog } from '../log/node-log.ts';
import type { NodeLog } from '../log/types.ts';
import type { StorageBackend } from './backend.ts';
import { openFileBackend } from './files/backend.ts';
import { LIBP2P_KEY } from './helia.ts';
import type { SharedParts } from './postgres/shared-parts.ts';

/** A backend, with the shared parts when it is PostgreSQL. */
export type NodeStorage = StorageBackend & { readonly shared?: SharedParts };

/** The backend `config.storage` names (PostgreSQL: pools opened, schema migrated). */
export async function openStorage(
  config: Pick<NodeConfig, 'home' | 'storage' | 'freshnessMs'>,
  now?: () => number,
): Promise<NodeStorage> {
  // A replay entry must outlive the freshness window on both sides of the node's clock, plus a margin.
  const keepReplayMs = 2 * config.freshnessMs + 60_000;
  const options = { keepReplayMs, ...(now ? { now } : {}) };
  if (config.storage.kind !== 'postgres') return openFileBackend(config.home, options);
  const { sharedParts } = await import('./postgres/shared-parts.ts'); // first: it registers its migrations
  const { openPostgresBackend } = await import('./postgres/backend.ts');
  const backend = await openPostgresBackend(config.storage.url, options);
  return { ...backend, shared: sharedParts(backend.pool) };
}

/**
 * Where openHome/initHome find the identity document and keystore: the
 * database, but the replica's libp2p key under its own home (replica-records.ts);
 * nothing for files (the home's own files).
 */
export async function homeOptionsOf(
  storage: NodeStorage,
  home: string,
): Promise<Pick<KeystoreOptions, 'place' | 'identityDocument'>> {
  const records = storage.home;
  if (!records) return {};
  const { ReplicaRecords } = await import('./postgres/replica-records.ts');
  const local = await FileRecords.open(join(home, 'keystore'));
  return {
    place: {
      records: new ReplicaRecords(records.keystoreRecords, local, (name) => name === LIBP2P_KEY),
      meta: records.keystoreMeta,
    },
    identityDocument: { read: () => records.readIdentity(), create: (bytes) => records.createIdentity(bytes) },
  };
}

/** The node's log: one in the database for every replica, or the home's files. */
export function openLogOn(
  storage: NodeStorage,
  options: { dir: string; origin: string; secretKey: Uint8Array },
): Promise<NodeLog> {
  return storage.shared ? storage.shared.openLog(options) : openNodeLog(options);
}

/** Rate-limit buckets shared by the replicas, or undefined (the caller keeps its in-memory ones). */
export function sharedRateLimits(storage: NodeStorage): RateLimitStore | undefined {
  return storage.shared?.rateLimits();
}

/** Quota counts shared by the replicas, or undefined (the caller keeps its per-home file). */
export function sharedUsage(storage: NodeStorage): (UsageStore & { close(): Promise<void> }) | undefined {
  return storage.shared?.usage();
}
