/**
 * The vault's IndexedDB database (through `idb`): a store of identity records and a store of device keys, both
 * keyed by the identity's CID, and a small store of settings (the active identity, the auto-lock time). Records
 * hold the identity document (public) and its secrets sealed with AES-256-GCM; the key that seals them is never in
 * a record. Each device-protected identity has its own device key, so giving one a passkey deletes its key without
 * touching the others. Every value holding a secret is padded into a file of its own (own-file.ts), so that
 * replacing or deleting it removes it from disk.
 * @module
 */
import { type DBSchema, type IDBPDatabase, type IDBPTransaction, openDB, type StoreNames } from 'idb';
import { VaultUnavailableError } from './errors.ts';
import { ownFilePadding } from './own-file.ts';

const DB_NAME = 'dta-vault';
/** 1: one device key for all identities in `settings`, values inline; 2: a device key per identity, padded values. */
const DB_VERSION = 2;

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
  /** Random bytes that put the record in a file of its own (own-file.ts); never read. */
  readonly pad?: Uint8Array;
}

/** The non-extractable AES key that seals one device-protected identity, padded like a record. */
export interface DeviceKeyRecord {
  readonly key: CryptoKey;
  readonly pad: Uint8Array;
}

interface VaultSchema extends DBSchema {
  identities: { key: string; value: IdentityRecord };
  deviceKeys: { key: string; value: DeviceKeyRecord };
  /** `active`: the identity to show first; `autoLockMs`: the idle time before locking; (version 1: `deviceKey`). */
  settings: { key: string; value: CryptoKey | string | number };
}

export type VaultDb = IDBPDatabase<VaultSchema>;
type UpgradeTx = IDBPTransaction<VaultSchema, StoreNames<VaultSchema>[], 'versionchange'>;

/**
 * Version 1 to 2: the shared device key becomes each device-protected identity's own, and every record is written
 * again padded. The version-1 values stay in LevelDB's files until Chromium compacts them (README: security model).
 */
async function fromVersion1(tx: UpgradeTx): Promise<void> {
  const shared = await tx.objectStore('settings').get('deviceKey');
  const identities = tx.objectStore('identities');
  for (const r of await identities.getAll()) {
    await identities.put({ ...r, pad: ownFilePadding() });
    if (r.protection === 'device' && shared instanceof CryptoKey) {
      await tx.objectStore('deviceKeys').put({ key: shared, pad: ownFilePadding() }, r.cid);
    }
  }
  await tx.objectStore('settings').delete('deviceKey');
}

/** Opens (creating on first use, upgrading a version-1 vault) the vault database. */
export async function openVaultDb(name = DB_NAME): Promise<VaultDb> {
  if (typeof indexedDB === 'undefined')
    throw new VaultUnavailableError('this browser has no IndexedDB: keys cannot be stored');
  return openDB<VaultSchema>(name, DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('identities', { keyPath: 'cid' });
        db.createObjectStore('settings');
      }
      db.createObjectStore('deviceKeys');
      if (oldVersion === 1) await fromVersion1(tx);
    },
  });
}
