/**
 * Where a node keeps its state, as interfaces only (the implementations
 * live apart: files under the home, `storage/orders.ts`, `storage/replay.ts`,
 * `storage/files/`; PostgreSQL in `storage/postgres/`, so several
 * `dta serve` replicas share one node's state).
 *
 * Every implementation keeps the same promises: a write has reached
 * durable storage before its promise resolves; `withOrder` excludes every
 * other `withOrder` on the same order, in this process and (PostgreSQL) in
 * every replica; a replay claim is atomic (two claims of one request, in
 * two replicas at once, give one 'new'); creating an identity document or a
 * sealed secret never replaces one that exists.
 * @module
 */
import type { Blockstore } from 'interface-blockstore';
import type { CID } from 'multiformats/cid';
import type { KeystoreMeta, SealedRecords } from '../keystore/types.ts';
import type { OrderRecord } from '../plugins/types.ts';
import type { StoredOrder } from './orders.ts';
import type { PendingSteps } from './pending.ts';
import type { Claim } from './replay.ts';

/** The durable order records (OrderService's store). */
export interface OrderRecords {
  /** The stored order, or undefined (also for an id that is not a canonical CID). */
  get(id: string): Promise<StoredOrder | undefined>;
  /** Writes the order durably, replacing its previous version. */
  put(order: StoredOrder): Promise<void>;
  /** Runs `fn` with exclusive access to order `id` (see the module comment). */
  withOrder<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** Every order id, sorted. */
  ids(): Promise<string[]>;
  /** Every envelope of every order (to put back into Helia and the log at start). */
  eachEnvelope(): AsyncGenerator<{ cid: string; bytes: Uint8Array }>;
}

/** Where an order stands in a beneficiary's list: newest first is `created`, then `id`, both descending. */
export interface OrderPosition {
  readonly created: number;
  readonly id: string;
}

/**
 * The orders naming each identity as beneficiary (files: beneficiary-index.ts; PostgreSQL:
 * postgres/beneficiary-orders.ts), for POST /v1/beneficiaries/{cid}/orders.
 */
export interface BeneficiaryOrders {
  /** At most `limit` records naming `beneficiary`, newest first, each strictly after `after` when given. */
  page(beneficiary: string, limit: number, after?: OrderPosition): Promise<OrderRecord[]>;
}

/** The replay cache (storage/replay.ts describes the rules). */
export interface ReplayRecords {
  /** Records `cid` for `scope` durably: 'seen' when it was for the same scope, ReplayError for another. */
  claim(cid: string, created: number, scope: string): Promise<Claim>;
  /** True when `cid` has been claimed (for any scope). */
  has(cid: string): boolean | Promise<boolean>;
  close(): Promise<void>;
}

/** The identity documents registered at this node, by CID (the store behind IdentityRegistry). */
export interface IdentityDocuments {
  /** Keeps `bytes` under `cid` unless it is there; false when it was (nothing written). */
  create(cid: CID, bytes: Uint8Array): Promise<boolean>;
  get(cid: CID): Promise<Uint8Array | undefined>;
  /** Every registered CID, sorted by its string. */
  list(): Promise<CID[]>;
}

/**
 * What a home holds besides its state, when the home is in a database: the
 * node's own identity document and its keystore (sealed records and the
 * sealer's meta), so a replica's home directory needs only config.json and
 * the passphrase. A home on files keeps them as files (home.ts).
 */
export interface HomeRecords {
  /** The node's own signed identity document, or undefined before `dta init`. */
  readIdentity(): Promise<Uint8Array | undefined>;
  /** Writes it unless one exists; false when one does. */
  createIdentity(bytes: Uint8Array): Promise<boolean>;
  readonly keystoreRecords: SealedRecords;
  readonly keystoreMeta: KeystoreMeta;
}

/** One node's shared state. */
export interface StorageBackend {
  readonly kind: 'files' | 'postgres';
  readonly orders: OrderRecords;
  readonly replay: ReplayRecords;
  /** The orders naming each identity as beneficiary, newest first. */
  readonly beneficiaries: BeneficiaryOrders;
  readonly identities: IdentityDocuments;
  /** Accepted order steps whose reply is not committed yet (pending.ts). */
  readonly pending: PendingSteps;
  /** Helia's blockstore (undefined: Helia keeps its own on disk under the home). */
  readonly blockstore: Blockstore | undefined;
  /** The home's identity and keystore (undefined: files under the home, as home.ts keeps them). */
  readonly home: HomeRecords | undefined;
  close(): Promise<void>;
}
