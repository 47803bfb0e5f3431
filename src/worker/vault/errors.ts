/**
 * The vault's errors. Each has its own `name` (which survives the trip through the worker boundary, see
 * ../errors.ts), so the UI can tell "locked" from "wrong passkey" without reading messages.
 * @module
 */

/** Base class: something the vault refused. */
export class VaultError extends Error {
  override name = 'VaultError';
}

/** An operation that needs an unlocked identity, while none is. */
export class VaultLockedError extends VaultError {
  override name = 'VaultLockedError';
}

/** No identity with that CID on this device. */
export class VaultNotFoundError extends VaultError {
  override name = 'VaultNotFoundError';
}

/** The stored keys did not open with the key given (wrong passkey, wrong PRF output, altered record). */
export class VaultUnlockError extends VaultError {
  override name = 'VaultUnlockError';
}

/** A backup file that is not one, or whose identity document does not fit its keys. */
export class VaultBackupError extends VaultError {
  override name = 'VaultBackupError';
}

/** The browser lacks something the vault needs (IndexedDB, WebCrypto). */
export class VaultUnavailableError extends VaultError {
  override name = 'VaultUnavailableError';
}
