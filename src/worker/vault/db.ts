/**
 * The vault's IndexedDB database (through `idb`): one store of identity records, keyed by the identity's
 * CID, and one small store of settings (the device key, the active identity). Records hold the identity
 * document (public) and its secrets sealed with AES-256-GCM; the key that seals them never is in a record.
 * @module
 */
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import { VaultUnavailableError } from './errors.ts';

const DB_NAME = 'dta-vault';
const DB_VERSION = 1;

/** How a record's secrets are sealed: by the device key, or by a key derived from a passkey's PRF output. */
export type Protection = 'device' | 'passkey';

/** The passkey that protects a record: what the page needs to ask the authenticator for the same PRF output again. */
export interface PasskeyInfo {
  readonly credentialId: Uint8Array;
  /** The relying party (the page's host name) the credential belongs to. */
  readonly rpId: string;
  /** The PRF input (`eval.first`): 32 random bytes, public. */
  readonly salt: Uint8Array;
}

/** AES-256-GCM output: the 12-byte nonce and ciphertext || tag. */
export interface Sealed {
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export interface IdentityRecord {
  readonly cid: string;
  readonly name: string;
  /** The identity document's creation time (ms). */
  readonly created: number;
  /** When this device got the identity (ms). */
  readonly added: number;
  /** The signed identity document (DAG-CBOR); its CID is `cid`. */
  readonly document: Uint8Array;
  readonly protection: Protection;
  readonly passkey: PasskeyInfo | null;
  /** DAG-CBOR {bls, xwing}, sealed under the device key or the passkey key; the AAD names cid and protection. */
  readonly secrets: Sealed;
}

interface VaultSchema extends DBSchema {
  identities: { key: string; value: IdentityRecord };
  settings: { key: string; value: CryptoKey | string };
}

export type VaultDb = IDBPDatabase<VaultSchema>;

/** Opens (creating on first use) the vault database. */
export async function openVaultDb(name = DB_NAME): Promise<VaultDb> {
  if (typeof indexedDB === 'undefined')
    throw new VaultUnavailableError('this browser has no IndexedDB: keys cannot be stored');
  return openDB<VaultSchema>(name, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('identities', { keyPath: 'cid' });
      db.createObjectStore('settings');
    },
  });
}
