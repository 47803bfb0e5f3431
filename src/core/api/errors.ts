/**
 * The errors of talking to a node, the same in browsers, the worker and
 * Node. Each has a stable `name` to branch on (callers and tests never
 * match message text) and a message a person can act on; none carries a
 * secret. They are distinct from the node's own `ApiError`
 * (src/node/http/errors.ts), which is what the node throws to produce the
 * reply that becomes a NodeApiError here.
 * @module
 */

import type { UnmetCondition } from '../protocol/conditions.ts';

/** The node answered with its error shape `{error: {code, message, ...}}` and a 4xx/5xx status. */
export class NodeApiError extends Error {
  override name = 'NodeApiError';
  readonly status: number;
  readonly code: string;
  /** The error's other text fields (a 409 replay names `order` and `head`, the node's reply step). */
  readonly details: Readonly<Record<string, string>>;
  /** condition_not_met: each release condition not met yet, and until when (docs/protocol.md#release-conditions). */
  readonly unmet: readonly UnmetCondition[];
  constructor(
    status: number,
    code: string,
    message: string,
    details: Readonly<Record<string, string>> = {},
    unmet: readonly UnmetCondition[] = [],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.unmet = unmet;
  }
}

/**
 * The node could not be reached: offline, wrong URL, the node is down, it took longer than the time limit,
 * or (in a browser) the reply was refused because the node does not allow the page's origin (CORS: the
 * browser does not tell these apart).
 */
export class NodeUnreachableError extends Error {
  override name = 'NodeUnreachableError';
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

/** The node now presents another identity than the one expected of it (recorded when it was added, or configured). */
export class IdentityChangedError extends Error {
  override name = 'IdentityChangedError';
  readonly expected: string;
  readonly actual: string;
  constructor(expected: string, actual: string) {
    super(`the node now presents identity ${actual}, not ${expected} as expected of it`);
    this.expected = expected;
    this.actual = actual;
  }
}
