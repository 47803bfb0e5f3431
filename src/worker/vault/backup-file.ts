/**
 * The backup file the app exports: the protocol's encrypted identity backup (encryptBackup: the secrets
 * under a passphrase, scrypt + AES-256-GCM) next to the identity document, which is public and which the
 * backup alone does not hold (only its CID). DAG-CBOR:
 *   { type: "dta/app-backup", version: 1, backup: <dta/identity-backup bytes>, identity: <document bytes> }
 * A bare "dta/identity-backup" document is read too; its identity document must then come from elsewhere.
 * @module
 */
import { BACKUP_TYPE } from '../../core/protocol/backup.ts';
import { decodeStrict, encode } from '../../core/protocol/cbor.ts';
import { MAX_IDENTITY_BYTES } from '../../core/protocol/identity.ts';
import { bytes, literal, struct } from '../../core/schema.ts';
import { VaultBackupError } from './errors.ts';

export const APP_BACKUP_TYPE = 'dta/app-backup';
const MAX_INNER_BACKUP_BYTES = 4096;
const MAX_BACKUP_FILE_BYTES = MAX_INNER_BACKUP_BYTES + MAX_IDENTITY_BYTES + 256;

const fileSchema = struct({
  type: literal(APP_BACKUP_TYPE),
  version: literal(1),
  backup: bytes({ max: MAX_INNER_BACKUP_BYTES }),
  identity: bytes({ max: MAX_IDENTITY_BYTES }),
});

export function writeBackupFile(backup: Uint8Array, identity: Uint8Array): Uint8Array {
  return encode({ type: APP_BACKUP_TYPE, version: 1, backup, identity }, MAX_BACKUP_FILE_BYTES);
}

// What a person reads when the chosen file is something else (a photo, a document): no format names.
const NOT_A_BACKUP = 'this file is not a dta backup: choose the .dtabackup file you exported from this app';

/** The inner backup and, for an app backup file, the identity document; anything else is a VaultBackupError. */
export function readBackupFile(file: Uint8Array): { backup: Uint8Array; identity: Uint8Array | null } {
  if (!(file instanceof Uint8Array) || file.length > MAX_BACKUP_FILE_BYTES) {
    throw new VaultBackupError(NOT_A_BACKUP);
  }
  let value: unknown;
  try {
    value = decodeStrict(file, MAX_BACKUP_FILE_BYTES);
  } catch {
    throw new VaultBackupError(NOT_A_BACKUP);
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type === BACKUP_TYPE) return { backup: file, identity: null };
  if (type !== APP_BACKUP_TYPE) throw new VaultBackupError(NOT_A_BACKUP);
  try {
    const f = fileSchema(value, 'backup file');
    return { backup: f.backup, identity: f.identity };
  } catch (e) {
    throw new VaultBackupError(`damaged backup file (${e instanceof Error ? e.message : String(e)})`);
  }
}
