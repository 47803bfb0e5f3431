/**
 * Keystore errors. Messages name the secret (its name is not secret) and
 * never carry its bytes.
 * @module
 */

/** A `put` of an existing name with different bytes: a committed secret is never replaced. */
export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
  readonly key: string;
  constructor(key: string) {
    super(`keystore: "${key}" already holds a different secret`);
    this.key = key;
  }
}

/** The passphrase (or key file) does not open this keystore. */
export class WrongPassphraseError extends Error {
  override name = 'WrongPassphraseError';
  constructor() {
    super('keystore: wrong passphrase or key file');
  }
}

/** A keystore file is unreadable, truncated or was tampered with. */
export class KeystoreCorruptError extends Error {
  override name = 'KeystoreCorruptError';
}

/** No passphrase could be obtained (no DTA_PASSPHRASE, no key file, no terminal). */
export class NoPassphraseError extends Error {
  override name = 'NoPassphraseError';
}

/** Why a PKCS#11 keystore could not be used; `code` is stable, the message says it plainly (never the PIN). */
export type TokenProblem =
  | 'pkcs11_unavailable' // the optional pkcs11js module is not installed
  | 'module_missing' // no PKCS#11 library at the configured path
  | 'module_failed' // the library would not load or initialise
  | 'token_not_found' // no token with the configured label
  | 'no_pin' // neither DTA_PKCS11_PIN nor a pin file
  | 'pin_file_readable' // the pin file is readable by other users
  | 'pin_incorrect' // CKR_PIN_INCORRECT
  | 'pin_locked' // CKR_PIN_LOCKED
  | 'key_missing' // no key with the configured label in the token
  | 'key_exists' // init found a key with that label already
  | 'key_mismatch' // the key with that label is not the one this keystore was made with
  | 'wrong_kind' // config.json names another kind of keystore than the home holds
  | 'token_error'; // any other CKR_ the token returned

export class KeystoreTokenError extends Error {
  override name = 'KeystoreTokenError';
  readonly code: TokenProblem;
  constructor(code: TokenProblem, message: string) {
    super(`keystore: ${message}`);
    this.code = code;
  }
}
