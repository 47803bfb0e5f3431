/**
 * Readable errors: the app's one describeError(). Every failure the UI shows or the app records goes through
 * it; it turns the named errors of the app's data modules (api/errors.ts), the core, the protocol, the vault,
 * WebAuthn and fetch into a sentence a person can act on; the error's name stays visible as a detail for bug
 * reports.
 * @module
 */
import { NodeApiError, NodeUnreachableError } from '../api/errors.ts';
import { formatDay } from '../orders/conditions/words.ts';

export interface ErrorDescription {
  /** What happened, in plain words. */
  readonly message: string;
  /** The error's name and message, for reports. */
  readonly detail: string;
}

const API_TITLES: Readonly<Record<string, string>> = {
  unknown_identity: 'The node does not know this identity',
  not_beneficiary: 'Only the beneficiary may do this',
  not_found: 'Not found on the node',
  conflict: 'Already done',
  replay: 'Already submitted',
  stale: 'Clock out of step',
  forbidden: 'Refused by the node',
  // A redemption by OpenID Connect sign-in (src/app/claim/): the node checked the ID token.
  oidc_required: 'This secret is released only to whoever signs in at its provider',
  oidc_wrong_subject: 'This secret is for another account',
  oidc_expired: 'The sign-in has expired: sign in again',
  oidc_invalid: 'The node did not accept this sign-in',
  oidc_wrong_request: 'This sign-in was made for another request: sign in again',
  oidc_unavailable: 'The node cannot reach the provider just now: try again later',
  untrusted_issuer: 'The node does not trust this provider',
  // Release conditions (src/app/orders/conditions/): the node's message says which and until when.
  condition_not_met: 'Not yet',
  cancelled: 'Cancelled: the principal cancelled this release and the nodes deleted the secret',
  not_principal: 'Only the principal of this order may do this',
  not_ready: 'The server is not ready',
};

/** What failed, for the data modules' errors (and the plugins' checks); their own message follows it. */
const DATA_TITLES: Readonly<Record<string, string>> = {
  ReplyError: 'Unexpected reply',
  IdentityChangedError: 'The node changed identity',
  InputError: 'Please check the form',
  NotReadyError: 'Not ready',
  DocumentUnavailableError: 'Something went wrong',
  BitcoinError: 'Bitcoin check failed',
  MpinError: 'M-Pin check failed',
  CustodyError: 'Threshold custody failed',
  ReshareIncompleteError: 'Resharing did not finish (every old share is kept)',
  SignInError: 'Sign-in did not finish',
  OidcClaimError: 'Could not receive the secret',
};

/** A node's times (ISO 8601, UTC: "releases at 2027-03-03T09:41:00.000Z") as a person reads them, here. */
function plainTimes(message: string): string {
  return message
    .replace(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g, (iso) => {
      const at = Date.parse(iso);
      return Number.isNaN(at) ? iso : formatDay(at);
    })
    .replace(/\breleases at (\d)/g, 'releases on $1');
}

// The node's refusals carry a code and a status; a title says what the code means, the node's message why.
function describeDataError(e: Error): string | undefined {
  if (e instanceof NodeApiError) {
    const why = plainTimes(e.message) || `HTTP ${e.status}`;
    return `${API_TITLES[e.code] ?? `The node refused (${e.code})`}: ${why}`;
  }
  if (e instanceof NodeUnreachableError) {
    return `${e.timedOut ? 'The node did not answer in time' : 'Could not reach the node'}: ${e.message}`;
  }
  const title = DATA_TITLES[e.name];
  return title === undefined ? undefined : `${title}: ${plainTimes(e.message) || e.name}`;
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
  DecodeError: () => 'The data could not be read: it is damaged, or not what was expected here.',
  SignatureError: () => 'A signature did not verify: the data was not signed by who it claims.',
  CidMismatchError: () => 'The data does not match its CID (it was altered).',
  KeyCommitmentError: () =>
    'This sealed message is not the same for every recipient: its content key does not match the key commitment ' +
    'its sender signed, so it was refused.',
  NotRecipientError: () => 'This message was not sealed to your identity.',
  UnknownIdentityError: (e) => `Unknown identity: ${e.message}.`,
  ChainError: (e) => `The order history does not verify: ${e.message}.`,
  IntentError: (e) =>
    (e as { reason?: unknown }).reason === 'intent_missing'
      ? `This order carries no intent signed by its principal, though it was made after intents were required: ${e.message}.`
      : `The principal's own order does not name you, whatever the node says: ${e.message}.`,
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

/** A readable sentence (`message`) and the error's name and message (`detail`) for any thrown value. */
export function describeError(thrown: unknown): ErrorDescription {
  const e = asError(thrown);
  const detail = `${e.name}: ${e.message}`;
  const data = describeDataError(e);
  if (data) return { message: data, detail };
  const known = BY_NAME[e.name];
  if (known) return { message: known(e), detail };
  if (e instanceof TypeError && /fetch|network/i.test(e.message)) {
    const message = 'Could not reach the server: offline, wrong address, or it does not allow this app (CORS).';
    return { message, detail };
  }
  return { message: e.message ? capitalise(e.message) : 'Something went wrong.', detail };
}
