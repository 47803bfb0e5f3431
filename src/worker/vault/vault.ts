/**
 * The vault: identities kept on this device. Each record holds a signed identity document and its secrets
 * sealed by the device key or a passkey key (wrapping.ts). One identity at a time is unlocked: its secrets
 * live in this worker's memory until lock(), and nothing here ever returns them — the worker's API signs,
 * seals and opens with them (session()) but does not hand them out.
 * @module
 */

import { CID } from 'multiformats/cid';
import { wipe } from '../../core/bytes.ts';
import { decryptBackup, encryptBackup, SCRYPT_DEFAULTS } from '../../core/protocol/backup.ts';
import { createIdentity, readIdentity } from '../../core/protocol/identity.ts';
import { type BlsKeygen, generateIdentitySecrets } from '../../core/protocol/keys.ts';
import type { BlsSigner, IdentityDocument, IdentitySecrets, Verified } from '../../core/protocol/types.ts';
import { readBackupFile, writeBackupFile } from './backup-file.ts';
import { type IdentityRecord, openVaultDb, type PasskeyInfo, type Protection, type VaultDb } from './db.ts';
import { VaultBackupError, VaultError, VaultLockedError, VaultNotFoundError } from './errors.ts';
import { assertSecretsFit, decodeSecrets, encodeSecrets, wipeSecrets } from './secrets.ts';
import { deviceKey, passkeyKey, seal, unseal } from './wrapping.ts';

/** An identity as the UI sees it: public data only. */
export interface IdentityEntry {
  readonly cid: string;
  readonly name: string;
  readonly created: number;
  readonly added: number;
  readonly protection: Protection;
  readonly passkey: PasskeyInfo | null;
}

export interface VaultState {
  readonly identities: readonly IdentityEntry[];
  /** The identity chosen last (unlocked now, or to unlock next). */
  readonly active: string | null;
  /** The unlocked identity, if any. */
  readonly unlocked: string | null;
  /** Why keys cannot be stored in this browser (no IndexedDB, no WebCrypto), or null. */
  readonly unavailable: string | null;
}

/** A passkey to protect the unlocked identity with: the credential and the PRF output it gave for `salt`. */
export interface PasskeyEnrolment extends PasskeyInfo {
  readonly prf: Uint8Array;
}

export interface BackupExportOptions {
  /** scrypt cost as log2(N), 10..20 (default 17, as SCRYPT_DEFAULTS). Lower only for tests. */
  readonly scryptLogN?: number;
}

export interface BackupImportOptions {
  /** The identity document, for a bare protocol backup that does not carry one. */
  readonly identity?: Uint8Array;
}

/** The unlocked identity, for the worker's own use. */
export interface Session {
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
}

export interface Vault {
  state(): Promise<VaultState>;
  create(name: string): Promise<IdentityEntry>;
  unlock(cid: string, prf?: Uint8Array): Promise<IdentityEntry>;
  lock(): void;
  addPasskey(enrolment: PasskeyEnrolment): Promise<IdentityEntry>;
  removePasskey(): Promise<IdentityEntry>;
  exportBackup(passphrase: string, options?: BackupExportOptions): Promise<Uint8Array>;
  importBackup(file: Uint8Array, passphrase: string, options?: BackupImportOptions): Promise<IdentityEntry>;
  remove(cid: string): Promise<void>;
  /** The unlocked identity; throws VaultLockedError. Never exposed to the page. */
  session(): Session;
}

export interface VaultOptions {
  /** BLS through the core (keygen for new identities, skToPk/sign/popProve for documents). */
  readonly bls: BlsSigner & BlsKeygen;
  /** IndexedDB database name (default "dta-vault"; tests use their own). */
  readonly dbName?: string;
}

function entryOf(r: IdentityRecord): IdentityEntry {
  return { cid: r.cid, name: r.name, created: r.created, added: r.added, protection: r.protection, passkey: r.passkey };
}

/** Name checks the UI can show before anything is generated (the document schema checks again). */
function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new VaultError('give the identity a name');
  const trimmed = name.trim();
  if (new TextEncoder().encode(trimmed).length > 128) throw new VaultError('the name is too long (128 bytes at most)');
  if (/\p{Cc}/u.test(trimmed)) throw new VaultError('the name may not contain control characters');
  return trimmed;
}

export async function createVault(options: VaultOptions): Promise<Vault> {
  const db = await openVaultDb(options.dbName);
  return vaultOver(db, options.bls);
}

function vaultOver(db: VaultDb, bls: BlsSigner & BlsKeygen): Vault {
  let current: Session | null = null;

  const record = async (cid: string): Promise<IdentityRecord> => {
    const r = await db.get('identities', cid);
    if (!r) throw new VaultNotFoundError(`no identity ${cid} on this device`);
    return r;
  };
  const session = (): Session => {
    if (!current) throw new VaultLockedError('unlock an identity first');
    return current;
  };
  const setActive = (cid: string) => db.put('settings', cid, 'active');
  const lock = () => {
    wipeSecrets(current?.secrets);
    current = null;
  };
  const open = async (r: IdentityRecord, secrets: IdentitySecrets): Promise<IdentityEntry> => {
    const identity = await readIdentity(bls, r.document, CID.parse(r.cid));
    lock();
    current = { identity, secrets };
    await setActive(r.cid);
    return entryOf(r);
  };

  /** Stores `secrets` for `identity` sealed by the device key (replacing any record of that CID). */
  const storeWithDeviceKey = async (
    identity: Verified<IdentityDocument>,
    secrets: IdentitySecrets,
    added = Date.now(),
  ) => {
    const cid = identity.cid.toString();
    const plain = encodeSecrets(secrets);
    try {
      const sealed = await seal(await deviceKey(db), plain, cid, 'device');
      const r: IdentityRecord = {
        cid,
        name: identity.value.name,
        created: identity.value.created,
        added,
        document: identity.bytes,
        protection: 'device',
        passkey: null,
        secrets: sealed,
      };
      await db.put('identities', r);
      return r;
    } finally {
      wipe(plain);
    }
  };

  return {
    async state() {
      const records = await db.getAll('identities');
      records.sort((a, b) => a.added - b.added);
      const active = await db.get('settings', 'active');
      return {
        identities: records.map(entryOf),
        active:
          typeof active === 'string' && records.some((r) => r.cid === active) ? active : (records[0]?.cid ?? null),
        unlocked: current?.identity.cid.toString() ?? null,
        unavailable: null,
      };
    },

    async create(name) {
      const secrets = await generateIdentitySecrets(bls);
      const identity = await createIdentity(bls, secrets, { name: checkName(name) });
      const r = await storeWithDeviceKey(identity, secrets);
      return open(r, secrets);
    },

    async unlock(cid, prf) {
      const r = await record(cid);
      let key: CryptoKey;
      if (r.protection === 'passkey') {
        if (!r.passkey || !prf)
          throw new VaultError('this identity is protected by a passkey: unlock it with the passkey');
        key = await passkeyKey(prf, r.passkey.credentialId);
      } else {
        key = await deviceKey(db);
      }
      return open(r, decodeSecrets(await unseal(key, r.secrets, r.cid, r.protection)));
    },

    lock,

    async addPasskey(enrolment) {
      const { identity, secrets } = session();
      const r = await record(identity.cid.toString());
      const passkey: PasskeyInfo = { credentialId: enrolment.credentialId, rpId: enrolment.rpId, salt: enrolment.salt };
      const key = await passkeyKey(enrolment.prf, passkey.credentialId);
      const plain = encodeSecrets(secrets);
      try {
        const sealed = await seal(key, plain, r.cid, 'passkey');
        // Check the round trip before the device-key seal is replaced.
        wipe(await unseal(key, sealed, r.cid, 'passkey'));
        const next: IdentityRecord = { ...r, protection: 'passkey', passkey, secrets: sealed };
        await db.put('identities', next);
        return entryOf(next);
      } finally {
        wipe(plain);
      }
    },

    async removePasskey() {
      const { identity, secrets } = session();
      const r = await record(identity.cid.toString());
      return entryOf(await storeWithDeviceKey(identity, secrets, r.added));
    },

    async exportBackup(passphrase, opts = {}) {
      const { identity, secrets } = session();
      const logN = opts.scryptLogN ?? Math.log2(SCRYPT_DEFAULTS.N);
      if (!Number.isInteger(logN) || logN < 10 || logN > 20)
        throw new VaultError('scryptLogN must be an integer in 10..20');
      if (typeof passphrase !== 'string' || passphrase.length < 8)
        throw new VaultError('choose a passphrase of at least 8 characters');
      const backup = await encryptBackup(secrets, passphrase, { identity: identity.cid, scrypt: { N: 2 ** logN } });
      return writeBackupFile(backup, identity.bytes);
    },

    async importBackup(file, passphrase, opts = {}) {
      const { backup, identity: inFile } = readBackupFile(file);
      const { secrets, identity: cid } = await decryptBackup(backup, passphrase);
      let identity: Verified<IdentityDocument>;
      try {
        const docBytes = inFile ?? opts.identity;
        if (!docBytes)
          throw new VaultBackupError(
            'this backup holds no identity document: give the document (from a node) to import it',
          );
        identity = await readIdentity(bls, docBytes, cid ?? undefined);
        await assertSecretsFit(bls, secrets, identity);
      } catch (e) {
        wipeSecrets(secrets);
        throw e;
      }
      const known = await db.get('identities', identity.cid.toString());
      const r = known ?? (await storeWithDeviceKey(identity, secrets));
      return open(r, secrets);
    },

    async remove(cid) {
      await record(cid);
      if (current?.identity.cid.toString() === cid) lock();
      await db.delete('identities', cid);
      if ((await db.get('settings', 'active')) === cid) await db.delete('settings', 'active');
    },

    session,
  };
}
