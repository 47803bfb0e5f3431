/**
 * The errors of the app's data modules. Each has a stable `name` to branch
 * on (views and tests never match message text) and a message a person can
 * act on; none carries a secret. Views catch them at their edge and show
 * `describeError(e)`.
 * @module
 */

/** The node answered with its error shape `{error: {code, message}}` and a 4xx/5xx status. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  /** The error's other text fields (a 409 replay names `order` and `head`, the node's reply step). */
  readonly details: Readonly<Record<string, string>>;
  constructor(status: number, code: string, message: string, details: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * The node could not be reached: offline, wrong URL, the node is down, it
 * took longer than the time limit, or the browser refused the reply because
 * the node does not allow this page's origin (CORS; the browser does not
 * tell these apart).
 */
export class NetworkError extends Error {
  override name = 'NetworkError';
  readonly url: string;
  readonly timedOut: boolean;
  constructor(url: string, message: string, timedOut = false) {
    super(message);
    this.url = url;
    this.timedOut = timedOut;
  }
}

/** A reply that is not what the protocol promises: bad JSON, wrong shape, a signature or link that does not check. */
export class ReplyError extends Error {
  override name = 'ReplyError';
}

/** The node now presents another identity than the one the app recorded for it. */
export class IdentityChangedError extends Error {
  override name = 'IdentityChangedError';
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`the node now presents identity ${actual}, not ${expected} as recorded when it was added`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** Input from the person using the app that cannot be used (a URL, a CID, a PIN). */
export class InputError extends Error {
  override name = 'InputError';
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Something needed is missing: no unlocked identity, no such node or order in the app's store. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
}

/** What a view shows for a failure: a short title and one readable sentence. */
export interface ErrorText {
  readonly title: string;
  readonly detail: string;
}

const API_TITLES: Readonly<Record<string, string>> = Object.freeze({
  unknown_identity: 'The node does not know this identity',
  not_beneficiary: 'Only the beneficiary may do this',
  not_found: 'Not found on the node',
  conflict: 'Already done',
  replay: 'Already submitted',
  stale: 'Clock out of step',
  forbidden: 'Refused by the node',
  not_ready: 'The server is not ready',
});

/** A readable title and detail for any thrown value. */
export function describeError(e: unknown): ErrorText {
  if (e instanceof ApiError) return { title: API_TITLES[e.code] ?? `The node refused (${e.code})`, detail: e.message || `HTTP ${e.status}` };
  if (e instanceof NetworkError) return { title: e.timedOut ? 'The node did not answer in time' : 'Could not reach the node', detail: e.message };
  if (e instanceof Error) {
    const titles: Record<string, string> = {
      ReplyError: 'Unexpected reply', IdentityChangedError: 'The node changed identity', InputError: 'Please check the form',
      NotReadyError: 'Not ready', SignatureError: 'A signature does not verify', CidMismatchError: 'A document does not match its CID',
      ChainError: 'The order chain does not verify', BitcoinError: 'Bitcoin check failed', MpinError: 'M-Pin check failed',
    };
    return { title: titles[e.name] ?? 'Something went wrong', detail: e.message || e.name };
  }
  return { title: 'Something went wrong', detail: String(e) };
}
