/**
 * Every error the API can answer, in one table: a stable code, its HTTP
 * status and what it means. Replies are always `{error: {code, message}}`;
 * messages say what was wrong with the request and never carry a secret,
 * a stack trace or the request's bytes.
 * @module
 */

export const ERRORS = {
  malformed: { status: 400, meaning: 'the body does not decode (JSON, base64 or DAG-CBOR) or breaks the schema' },
  bad_request: {
    status: 400,
    meaning: 'a well-formed request that this route cannot take (wrong type, order or link)',
  },
  invalid_point: { status: 400, meaning: 'a key or point that is not a valid group element' },
  bad_session: {
    status: 400,
    meaning:
      'a DKG session this node does not take: malformed, t or n out of range, an unknown purpose, wrong identities',
  },
  bad_signature: { status: 401, meaning: 'the signature does not verify under the sender identity' },
  unknown_identity: { status: 401, meaning: 'the sender identity is neither registered here nor resolvable' },
  stale: { status: 401, meaning: 'the request was created outside the freshness window (clock skew or replay)' },
  not_addressed: { status: 403, meaning: 'this node is not among the request recipients' },
  not_beneficiary: { status: 403, meaning: 'only the order beneficiary may redeem it' },
  not_principal: { status: 403, meaning: 'only the principal of the order may check in or cancel it' },
  condition_not_met: {
    status: 403,
    meaning:
      "a release condition of the order is not met yet: `unmet` lists each ({condition, until}, the node's clock)",
  },
  oidc_required: {
    status: 401,
    meaning: 'the order is released to an OpenID Connect identity: sign in at the issuer the message names',
  },
  untrusted_issuer: {
    status: 403,
    meaning: 'an OpenID Connect issuer this node does not trust (400 when an order names it)',
  },
  oidc_invalid: {
    status: 403,
    meaning: 'the ID token is not a JWT, its signature does not verify with the issuer keys, or its audience is wrong',
  },
  oidc_expired: { status: 403, meaning: "the ID token has expired (by the node's clock): sign in again" },
  oidc_wrong_subject: {
    status: 403,
    meaning: 'the ID token names another subject or email than the order, or its email is not verified',
  },
  oidc_wrong_request: {
    status: 403,
    meaning: "the ID token's nonce does not bind this redeemer and binding, or the binding lacks this node and order",
  },
  forbidden: { status: 403, meaning: 'the caller may not do this' },
  not_participant: { status: 403, meaning: 'the DKG session does not list this node' },
  not_found: { status: 404, meaning: 'no such route, order or identity' },
  unknown_plugin: { status: 404, meaning: 'no plugin of that name runs on this node, or it does not take this step' },
  not_cosigned: { status: 404, meaning: 'no witness has cosigned a checkpoint of this log yet' },
  replay: {
    status: 409,
    meaning:
      'the request envelope was already used (an order step: already committed; the error names the order and the reply step)',
  },
  conflict: { status: 409, meaning: 'the order has moved on (redeemed, or a newer head than the request links)' },
  cancelled: { status: 409, meaning: 'the principal cancelled the order: it takes no further step' },
  request_timeout: { status: 408, meaning: 'the request did not arrive in time' },
  body_too_large: { status: 413, meaning: 'the body exceeds the node limit' },
  unsupported_media_type: { status: 415, meaning: 'send application/cbor or application/json' },
  headers_too_large: { status: 431, meaning: 'the request headers exceed the server limit' },
  rate_limited: {
    status: 429,
    meaning:
      'too many requests of a limited kind (identity registrations, bad signatures, unknown senders) from this ' +
      'client or in all: retry after the seconds in Retry-After',
  },
  quota_exceeded: {
    status: 429,
    meaning:
      "the sender's orders on this node reached its quota: 429 for the number of orders, 413 for their bytes; " +
      'the message names the limit and the usage',
  },
  internal: { status: 500, meaning: 'the node failed; nothing was committed' },
  unavailable: { status: 503, meaning: 'the node is starting, stopping or busy' },
  oidc_unavailable: {
    status: 503,
    meaning: "the OpenID Connect issuer's discovery document or keys cannot be fetched: retry after Retry-After",
  },
  overloaded: {
    status: 503,
    meaning: 'the node is shedding load (its event loop is saturated): retry after the seconds in Retry-After',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof ERRORS;

/**
 * Public facts an error may carry next to its message (e.g. the order and
 * reply step of a replayed request): identifiers only, never a secret.
 */
export type ErrorDetails = Readonly<Record<string, string | readonly Readonly<Record<string, string | number>>[]>>;

/** An API refusal: thrown anywhere below a route, turned into a reply by the server's error handler. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: ErrorDetails | undefined;
  constructor(code: ApiErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
}

/** A refusal the client may retry later: the reply carries Retry-After with the seconds to wait. */
export class RetryLaterError extends ApiError {
  readonly retryAfterS: number;
  constructor(code: ApiErrorCode, message: string, retryAfterS: number) {
    super(code, message);
    this.retryAfterS = retryAfterS;
  }
}

export interface ErrorBody {
  error: { code: string; message: string; [detail: string]: ErrorDetails[string] };
}

const CODE_RE = /^[a-z][a-z0-9_]{0,47}$/;
/** Errors of the core (src/core/errors.ts) that mean "a bad point or key came in". */
const POINT_ERRORS = new Set([
  'BadEncodingError',
  'BadLengthError',
  'NotOnCurveError',
  'NotInSubgroupError',
  'InfinityError',
  'BadScalarError',
]);

/**
 * The reply for any thrown value. ApiError as is; a plugin's own error
 * (any Error with a string `code` and a 4xx/5xx `status`, e.g. MpinError)
 * keeps its code and status; fastify's own client errors map onto the
 * table (a request that breaks its route's schema is `malformed`, with the
 * schema's words, which name the field and never carry its value); anything
 * else is a 500 whose message says nothing about the cause.
 */
export function toErrorReply(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof ApiError)
    return { status: err.status, body: { error: { ...err.details, code: err.code, message: err.message } } };
  const e = err as { code?: unknown; status?: unknown; statusCode?: unknown; name?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message.slice(0, 300) : '';
  if (
    typeof e?.code === 'string' &&
    CODE_RE.test(e.code) &&
    typeof e.status === 'number' &&
    e.status >= 400 &&
    e.status < 600
  ) {
    return { status: e.status, body: { error: { code: e.code, message } } };
  }
  if (typeof e?.name === 'string' && POINT_ERRORS.has(e.name)) return reply('invalid_point', `${e.name}`);
  if (e?.code === 'FST_ERR_VALIDATION') return reply('malformed', message || 'the request breaks the route schema');
  if (typeof e?.code === 'string' && e.code.startsWith('FST_')) return fastifyError(e.code, Number(e.statusCode));
  return reply('internal', 'internal error');
}

function reply(code: ApiErrorCode, message: string): { status: number; body: ErrorBody } {
  return { status: ERRORS[code].status, body: { error: { code, message } } };
}

/** fastify's built-in refusals (body parsing, limits, media types, routing). */
function fastifyError(code: string, status: number): { status: number; body: ErrorBody } {
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return reply('body_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return status === 415
        ? reply('unsupported_media_type', 'send application/cbor or application/json')
        : reply('malformed', 'bad content length');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return reply('malformed', 'the body is not valid JSON');
    case 'FST_ERR_NOT_FOUND':
      return reply('not_found', 'no such route');
    case 'FST_ERR_BAD_URL':
      return reply('malformed', 'the URL does not decode');
    default:
      if (status === 415) return reply('unsupported_media_type', 'send application/cbor or application/json');
      if (status === 413) return reply('body_too_large', 'the request body is too large');
      if (status >= 400 && status < 500) return reply('malformed', 'the request could not be parsed');
      return reply('internal', 'internal error');
  }
}

/**
 * The whole HTTP response for a request Node's own parser refused before any route could run (not HTTP,
 * an unknown method, headers too large, too slow): the same error body, written straight to the socket.
 */
export function clientErrorResponse(err: { code?: string }): string {
  const code: ApiErrorCode =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? 'request_timeout'
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? 'headers_too_large'
        : 'malformed';
  const message = code === 'malformed' ? 'the request is not valid HTTP' : ERRORS[code].meaning;
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${ERRORS[code].status} ${code}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
