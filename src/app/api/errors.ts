/**
 * The errors of the app's data modules. Each has a stable `name` to branch
 * on (views and tests never match message text) and a message a person can
 * act on; none carries a secret. Views catch them at their edge and show
 * `describeError(e)` of ui/errors.ts, which also has their titles.
 * @module
 */

// The errors of talking to a node come from the shared client; the app throws ReplyError for its own checks too.
export { IdentityChangedError, NodeApiError, NodeUnreachableError, ReplyError } from '../../core/api/errors.ts';

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
