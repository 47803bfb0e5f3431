/**
 * A redemption by OpenID Connect waiting for its sign-in, kept by the app worker across the full-page redirect to
 * the provider and back, in an IndexedDB database of its own ("dta-oidc"). It holds the fresh redeemer identity
 * made for this redemption, whose secret keys are sealed with AES-256-GCM under a device key of its own (a
 * non-extractable WebCrypto key, kept in a separate store; no script can read its bytes), the PKCE verifier, and
 * what the sign-in is for (nodes, orders, provider). It is named by the sign-in's `state`, so an answer from the
 * provider finds its redemption only when it carries the state this app sent. Both values are padded into files
 * of their own (../vault/own-file.ts), so deleting them after the release (or on cancel) removes them from disk.
 * @module
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { IdentitySecrets } from '../../core/protocol/types.ts';
import { ownFilePadding } from '../vault/own-file.ts';
import { decodeSecrets, encodeSecrets } from '../vault/secrets.ts';
import { newDeviceKey } from '../vault/wrapping.ts';

const DB_NAME = 'dta-oidc';
const IV_BYTES = 12;

/** A node holding the order (or a share of it), and the order id there. */
export interface PendingHolder {
  readonly url: string;
  readonly identity: string;
  readonly order: string;
}

/** What a pending redemption says about itself: nothing secret but the PKCE verifier. */
export interface PendingFacts {
  readonly kind: 'safeguard' | 'custody';
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly verifier: string;
  readonly holders: readonly PendingHolder[];
  readonly group?: string;
}

interface PendingRecord extends PendingFacts {
  /** The sign-in's `state`. */
  readonly id: string;
  readonly created: number;
  /** The redeemer's identity document (DAG-CBOR). */
  readonly redeemer: Uint8Array;
  readonly iv: Uint8Array;
  /** DAG-CBOR {bls, xwing}, sealed; the associated data names the record and the redeemer. */
  readonly sealed: Uint8Array;
  readonly pad: Uint8Array;
}

interface PendingSchema extends DBSchema {
  pending: { key: string; value: PendingRecord };
  keys: { key: string; value: { readonly key: CryptoKey; readonly pad: Uint8Array } };
}

const aadOf = (id: string, redeemer: string) =>
  new TextEncoder().encode(`dta/oidc/v1 pending redeemer ${id} ${redeemer}`);

/** A pending redemption read back: its facts, the redeemer's document and secrets (the caller wipes them). */
export interface OpenedPending extends PendingFacts {
  readonly redeemer: Uint8Array;
  readonly secrets: IdentitySecrets;
}

export interface PendingStore {
  put(id: string, facts: PendingFacts, redeemer: { cid: string; bytes: Uint8Array }, s: IdentitySecrets): Promise<void>;
  /** The facts of pending redemption `id` (no key is opened), or undefined. */
  facts(id: string): Promise<PendingFacts | undefined>;
  /** Pending redemption `id` with its redeemer's secrets opened, or undefined. */
  open(id: string, redeemerCid: (bytes: Uint8Array) => string): Promise<OpenedPending | undefined>;
  delete(id: string): Promise<void>;
  /** The state of a pending redemption for exactly these nodes and orders (a claim begun before), if any. */
  findFor(holders: readonly PendingHolder[]): Promise<string | undefined>;
}

function factsOf(r: PendingRecord): PendingFacts {
  const { kind, issuer, clientId, redirectUri, verifier, holders, group } = r;
  return { kind, issuer, clientId, redirectUri, verifier, holders, ...(group ? { group } : {}) };
}

/** The store over IndexedDB database `name` (tests give their own). */
export function pendingStore(name = DB_NAME): PendingStore {
  let db: Promise<IDBPDatabase<PendingSchema>> | undefined;
  const open = () => {
    db ??= openDB<PendingSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('pending', { keyPath: 'id' });
        d.createObjectStore('keys');
      },
    });
    return db;
  };
  return {
    async put(id, facts, redeemer, secrets) {
      const key = await newDeviceKey();
      const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
      const plain = encodeSecrets(secrets) as Uint8Array<ArrayBuffer>;
      let sealed: Uint8Array;
      try {
        const params = { name: 'AES-GCM', iv, additionalData: aadOf(id, redeemer.cid) };
        sealed = new Uint8Array(await crypto.subtle.encrypt(params, key, plain));
      } finally {
        plain.fill(0);
      }
      const record = { ...facts, id, created: Date.now(), redeemer: redeemer.bytes, iv, sealed, pad: ownFilePadding() };
      const tx = (await open()).transaction(['pending', 'keys'], 'readwrite');
      await Promise.all([
        tx.objectStore('keys').put({ key, pad: ownFilePadding() }, id),
        tx.objectStore('pending').put(record),
        tx.done,
      ]);
    },
    async findFor(holders) {
      const key = (hs: readonly PendingHolder[]) => JSON.stringify(hs.map((h) => [h.identity, h.order]));
      const wanted = key(holders);
      const all = await (await open()).getAll('pending');
      return all.filter((r) => key(r.holders) === wanted).sort((a, b) => b.created - a.created)[0]?.id;
    },
    async facts(id) {
      const r = await (await open()).get('pending', id);
      return r ? factsOf(r) : undefined;
    },
    async open(id, redeemerCid) {
      const d = await open();
      const [r, k] = await Promise.all([d.get('pending', id), d.get('keys', id)]);
      if (!r || !k) return undefined;
      const params = { name: 'AES-GCM', iv: new Uint8Array(r.iv), additionalData: aadOf(id, redeemerCid(r.redeemer)) };
      const plain = new Uint8Array(await crypto.subtle.decrypt(params, k.key, new Uint8Array(r.sealed)));
      return { ...factsOf(r), redeemer: r.redeemer, secrets: decodeSecrets(plain) };
    },
    async delete(id) {
      const tx = (await open()).transaction(['pending', 'keys'], 'readwrite');
      await Promise.all([tx.objectStore('pending').delete(id), tx.objectStore('keys').delete(id), tx.done]);
    },
  };
}
