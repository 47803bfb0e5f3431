/**
 * The vault: identities kept on this device. Each record holds a signed identity document and its secrets
 * sealed by a passkey key or, when the person declines a passkey, by a device key of its own (wrapping.ts,
 * records.ts). One identity at a time is unlocked: its secrets live in this worker's memory until lock() or
 * the idle auto-lock, and nothing here ever returns them — the worker's API signs, seals and opens with them
 * (session()) but does not hand them out. A backup export and removing a passkey need a fresh confirmation.
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
import { autoLockMs, createIdleLock } from './idle-lock.ts';
import { deviceKeyOf, removeRecord, storeDeviceSealed, storePasskeySealed } from './records.ts';
import { assertSecretsFit, decodeSecrets, encodeSecrets, wipeSecrets } from './secrets.ts';
import { entryOf, readVaultState } from './state.ts';
import { passkeyKey, unseal } from './wrapping.ts';

/** The shortest backup passphrase the vault accepts (the page also asks for a strength estimate). */
const MIN_PASSPHRASE = 12;

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

/**
 * A fresh confirmation by the person, for a backup export, removing a passkey and revealing a Bitcoin key: for a passkey-protected
 * identity, the PRF output of a WebAuthn assertion made just now with user verification (checked by opening the
 * record with it); for a device-key identity, which has no factor of the person's to check, the identity's name
 * typed again (a guard against a moment at an unlocked screen, not against a script: README, security model).
 */
export interface FreshConfirmation {
  readonly prf?: Uint8Array;
  readonly name?: string;
}

export interface BackupExportOptions extends FreshConfirmation {
  /** scrypt cost as log2(N), 10..20 (default 17, as SCRYPT_DEFAULTS). Lower only for tests. */
  readonly scryptLogN?: number;
}

export interface BackupImportOptions {
  /** The identity document, for a bare protocol backup that does not carry one. */
  readonly identity?: Uint8Array;
  /** Seal the imported identity under this passkey rather than a device key. */
  readonly passkey?: PasskeyEnrolment;
}

/** The unlocked identity, for the worker's own use. */
export interface Session {
  readonly identity: Verified<IdentityDocument>;
  readonly secrets: IdentitySecrets;
}

export interface Vault {
  state(): Promise<VaultState>;
  /** Creates an identity sealed under `passkey` when given, else under a new device key of its own. */
  create(name: string, passkey?: PasskeyEnrolment): Promise<IdentityEntry>;
  unlock(cid: string, prf?: Uint8Array): Promise<IdentityEntry>;
  lock(): void;
  /** Re-seals the unlocked identity under a passkey and deletes its device key and old record. */
  addPasskey(enrolment: PasskeyEnrolment): Promise<IdentityEntry>;
  removePasskey(confirmation: FreshConfirmation): Promise<IdentityEntry>;
  /** Throws unless `confirmation` is a fresh one for the unlocked identity (revealing a Bitcoin key asks it). */
  confirmFresh(confirmation: FreshConfirmation | undefined): Promise<void>;
  exportBackup(passphrase: string, options: BackupExportOptions): Promise<Uint8Array>;
  importBackup(file: Uint8Array, passphrase: string, options?: BackupImportOptions): Promise<IdentityEntry>;
  remove(cid: string): Promise<void>;
  /** The idle time before the vault locks itself (ms). */
  autoLock(): Promise<number>;
  setAutoLock(ms: number): Promise<number>;
  /** The person is using the app: restarts the idle countdown; ms until the lock, or null when locked. */
  touch(): number | null;
  /** ms until the idle lock, or null when locked; does not count as activity. */
  idleLeft(): number | null;
  /** The unlocked identity; throws VaultLockedError. Never exposed to the page. */
  session(): Session;
}

export interface VaultOptions {
  /** BLS through the core (keygen for new identities, skToPk/sign/popProve for documents). */
  readonly bls: BlsSigner & BlsKeygen;
  /** IndexedDB database name (default "dta-vault"; tests use their own). */
  readonly dbName?: string;
  /** The database, already being opened (app-worker.ts starts opening it with the core); else it is opened here. */
  readonly db?: Promise<VaultDb>;
}

/** Name checks the UI can show before anything is generated (the document schema checks again). */
function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') throw new VaultError('give the identity a name');
  const trimmed = name.trim();
  if (new TextEncoder().encode(trimmed).length > 128) throw new VaultError('the name is too long (128 bytes at most)');
  if (/\p{Cc}/u.test(trimmed)) throw new VaultError('the name may not contain control characters');
  return trimmed;
}

/** Wipes the PRF outputs handed in (the worker's copies) once `work` is done with them. */
async function wipingPrf<T>(prfs: readonly (Uint8Array | undefined)[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    wipe(...prfs);
  }
}

export async function createVault(options: VaultOptions): Promise<Vault> {
  const db = await (options.db ?? openVaultDb(options.dbName));
  return vaultOver(db, options.bls, autoLockMs(await db.get('settings', 'autoLockMs')));
}

function vaultOver(db: VaultDb, bls: BlsSigner & BlsKeygen, idleMs: number): Vault {
  let current: Session | null = null;
  const lock = () => {
    idle.stop();
    wipeSecrets(current?.secrets);
    current = null;
  };
  const idle = createIdleLock(lock, idleMs);

  const record = async (cid: string): Promise<IdentityRecord> => {
    const r = await db.get('identities', cid);
    if (!r) throw new VaultNotFoundError(`no identity ${cid} on this device`);
    return r;
  };
  const session = (): Session => {
    if (!current || idle.expired()) throw new VaultLockedError('unlock an identity first');
    return current;
  };
  const setActive = (cid: string) => db.put('settings', cid, 'active');
  const open = async (r: IdentityRecord, secrets: IdentitySecrets): Promise<IdentityEntry> => {
    const identity = await readIdentity(bls, r.document, CID.parse(r.cid));
    lock();
    current = { identity, secrets };
    idle.touch();
    await setActive(r.cid);
    return entryOf(r);
  };

  /** Stores `secrets` for `identity` under `passkey` when given, else under a new device key. */
  const store = async (
    identity: Verified<IdentityDocument>,
    secrets: IdentitySecrets,
    added: number,
    passkey?: PasskeyEnrolment,
  ): Promise<IdentityRecord> => {
    const plain = encodeSecrets(secrets);
    try {
      if (!passkey) return await storeDeviceSealed(db, identity, plain, added);
      const info: PasskeyInfo = { credentialId: passkey.credentialId, rpId: passkey.rpId, salt: passkey.salt };
      const key = await passkeyKey(passkey.prf, info.credentialId);
      return await storePasskeySealed(db, identity, plain, added, info, key);
    } finally {
      wipe(plain);
    }
  };

  /** Throws unless `confirmation` is a fresh one for the unlocked identity's record (see FreshConfirmation). */
  const confirmFresh = async (r: IdentityRecord, confirmation: FreshConfirmation | undefined) => {
    if (r.protection === 'device') {
      if (confirmation?.name !== r.name) throw new VaultError(`type the identity's name, ${r.name}, to confirm`);
      return;
    }
    if (!r.passkey || !confirmation?.prf) throw new VaultError('confirm with your passkey first');
    const key = await passkeyKey(confirmation.prf, r.passkey.credentialId);
    wipe(await unseal(key, r.secrets, r.cid, 'passkey'));
  };

  return {
    state: () => readVaultState(db, current && !idle.expired() ? current.identity.cid.toString() : null),

    create: (name, passkey) =>
      wipingPrf([passkey?.prf], async () => {
        const checked = checkName(name);
        const secrets = await generateIdentitySecrets(bls);
        try {
          const identity = await createIdentity(bls, secrets, { name: checked });
          return await open(await store(identity, secrets, Date.now(), passkey), secrets);
        } catch (e) {
          wipeSecrets(secrets);
          throw e;
        }
      }),

    unlock: (cid, prf) =>
      wipingPrf([prf], async () => {
        const r = await record(cid);
        let key: CryptoKey;
        if (r.protection === 'passkey') {
          if (!r.passkey || !prf)
            throw new VaultError('this identity is protected by a passkey: unlock it with the passkey');
          key = await passkeyKey(prf, r.passkey.credentialId);
        } else {
          key = await deviceKeyOf(db, r.cid);
        }
        return open(r, decodeSecrets(await unseal(key, r.secrets, r.cid, r.protection)));
      }),

    lock,

    addPasskey: (enrolment) =>
      wipingPrf([enrolment.prf], async () => {
        const { identity, secrets } = session();
        const r = await record(identity.cid.toString());
        return entryOf(await store(identity, secrets, r.added, enrolment));
      }),

    removePasskey: (confirmation) =>
      wipingPrf([confirmation?.prf], async () => {
        const { identity, secrets } = session();
        const r = await record(identity.cid.toString());
        await confirmFresh(r, confirmation);
        return entryOf(await store(identity, secrets, r.added));
      }),

    confirmFresh: (confirmation) =>
      wipingPrf([confirmation?.prf], async () => {
        await confirmFresh(await record(session().identity.cid.toString()), confirmation);
      }),

    exportBackup: (passphrase, opts) =>
      wipingPrf([opts?.prf], async () => {
        const { identity, secrets } = session();
        const logN = opts?.scryptLogN ?? Math.log2(SCRYPT_DEFAULTS.N);
        if (!Number.isInteger(logN) || logN < 10 || logN > 20)
          throw new VaultError('scryptLogN must be an integer in 10..20');
        if (typeof passphrase !== 'string' || [...passphrase].length < MIN_PASSPHRASE)
          throw new VaultError(`choose a passphrase of at least ${MIN_PASSPHRASE} characters`);
        await confirmFresh(await record(identity.cid.toString()), opts);
        const backup = await encryptBackup(secrets, passphrase, { identity: identity.cid, scrypt: { N: 2 ** logN } });
        return writeBackupFile(backup, identity.bytes);
      }),

    importBackup: (file, passphrase, opts = {}) =>
      wipingPrf([opts.passkey?.prf], async () => {
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
          const known = await db.get('identities', identity.cid.toString());
          return await open(known ?? (await store(identity, secrets, Date.now(), opts.passkey)), secrets);
        } catch (e) {
          wipeSecrets(secrets);
          throw e;
        }
      }),

    async remove(cid) {
      await record(cid);
      if (current?.identity.cid.toString() === cid) lock();
      await removeRecord(db, cid);
    },

    autoLock: async () => idle.ms(),

    async setAutoLock(ms) {
      idle.configure(ms);
      await db.put('settings', ms, 'autoLockMs');
      return ms;
    },

    touch: () => (current && !idle.expired() ? idle.touch() : null),

    idleLeft: () => (current && !idle.expired() ? idle.left() : null),

    session,
  };
}
