/**
 * Readable errors. Every failure the UI shows goes through describeError(), which turns the named errors of
 * the core, the protocol, the vault, WebAuthn and fetch into a sentence a person can act on; the error's
 * name stays visible as a detail for bug reports. Feature folders add their own errors with
 * addErrorDescriber() (first match wins, the built-in table last).
 * @module
 */

export interface ErrorDescription {
  /** What happened, in plain words. */
  readonly message: string;
  /** The error's name and message, for reports. */
  readonly detail: string;
}

/** Returns a sentence for errors it knows, undefined otherwise. */
export type ErrorDescriber = (e: Error) => string | undefined;

const describers: ErrorDescriber[] = [];

export function addErrorDescriber(describe: ErrorDescriber): void {
  describers.push(describe);
}

const BY_NAME: Readonly<Record<string, (e: Error) => string>> = {
  VaultLockedError: () => 'Unlock your identity first.',
  VaultNotFoundError: () => 'That identity is not on this device any more.',
  VaultUnlockError: (e) => `Could not unlock: ${e.message}.`,
  VaultBackupError: (e) => `${capitalise(e.message)}.`,
  VaultUnavailableError: (e) => `Keys cannot be stored in this browser: ${e.message}.`,
  VaultError: (e) => `${capitalise(e.message)}.`,
  PasskeyError: (e) => `${capitalise(e.message)}.`,
  DecryptionError: () => 'Wrong passphrase, or the file was changed.',
  SchemaError: (e) => `The data is not in the expected form (${e.message}).`,
  DecodeError: () => 'The data could not be read (not valid DAG-CBOR).',
  SignatureError: () => 'A signature did not verify: the data was not signed by who it claims.',
  CidMismatchError: () => 'The data does not match its CID (it was altered).',
  NotRecipientError: () => 'This message was not sealed to your identity.',
  UnknownIdentityError: (e) => `Unknown identity: ${e.message}.`,
  ChainError: (e) => `The order history does not verify: ${e.message}.`,
  NotAllowedError: () => 'The passkey request was cancelled, timed out, or was not allowed.',
  InvalidStateError: () => 'This authenticator already holds a passkey for this identity.',
  SecurityError: () => 'Passkeys need a secure page: open the app over https, or at http://localhost.',
  NotSupportedError: () => 'This browser or authenticator does not support what was asked.',
  AbortError: () => 'Stopped before it finished.',
  TimeoutError: () => 'It took too long and was stopped.',
  QuotaExceededError: () => 'The browser has no room left to store data for this app.',
};

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (typeof e === 'object' && e !== null && 'name' in e && 'message' in e) {
    const err = new Error(String((e as { message: unknown }).message));
    err.name = String((e as { name: unknown }).name);
    return err;
  }
  return new Error(String(e));
}

export function describeError(thrown: unknown): ErrorDescription {
  const e = asError(thrown);
  const detail = `${e.name}: ${e.message}`;
  for (const d of describers) {
    const message = d(e);
    if (message) return { message, detail };
  }
  const known = BY_NAME[e.name];
  if (known) return { message: known(e), detail };
  if (e instanceof TypeError && /fetch|network/i.test(e.message)) {
    return { message: 'Could not reach the server: offline, wrong address, or it does not allow this app (CORS).', detail };
  }
  return { message: e.message ? capitalise(e.message) : 'Something went wrong.', detail };
}
