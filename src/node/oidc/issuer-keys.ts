/**
 * The signing keys of the OpenID Connect issuers a node trusts: each issuer's discovery document
 * (`<issuer>/.well-known/openid-configuration`, OpenID Connect Discovery 1.0) names its `jwks_uri`, whose key set
 * jose fetches and caches (`createRemoteJWKSet`: kept 10 minutes, fetched again at most every 30 s when a token
 * names an unknown key). Anything that keeps the keys from being read (the issuer down, a timeout, a document that
 * is not one) is an `IssuerUnavailableError`, which the gate answers 503 oidc_unavailable: the token may be fine.
 * @module
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import { isLoopbackUrl } from '../../core/protocol/conditions.ts';

/** The issuer's discovery or keys cannot be read now; says why in words that carry nothing fetched. */
export class IssuerUnavailableError extends Error {
  override name = 'IssuerUnavailableError';
}

/** How long a discovery document is believed before it is fetched again. */
const DISCOVERY_MAX_AGE_MS = 3_600_000;
const FETCH_TIMEOUT_MS = 5_000;
/** A discovery document is a few KiB; a larger answer is not one. */
const MAX_DISCOVERY_BYTES = 64 * 1024;

interface Cached {
  readonly at: number;
  readonly keys: JWTVerifyGetKey;
}

export class IssuerKeys {
  readonly #cached = new Map<string, Cached>();
  readonly #pending = new Map<string, Promise<Cached>>();

  /** The key resolver for `issuer`'s tokens (discovery fetched first if not cached). */
  async keysOf(issuer: string): Promise<JWTVerifyGetKey> {
    const cached = this.#cached.get(issuer);
    if (cached && Date.now() - cached.at < DISCOVERY_MAX_AGE_MS) return cached.keys;
    let pending = this.#pending.get(issuer);
    if (!pending) {
      pending = discover(issuer).finally(() => this.#pending.delete(issuer));
      this.#pending.set(issuer, pending);
    }
    const fresh = await pending;
    this.#cached.set(issuer, fresh);
    return fresh.keys;
  }
}

async function discover(issuer: string): Promise<Cached> {
  const jwksUri = await jwksUriOf(issuer);
  const remote = createRemoteJWKSet(jwksUri, { timeoutDuration: FETCH_TIMEOUT_MS });
  return { at: Date.now(), keys: unavailableWhenUnread(issuer, remote) };
}

/** The `jwks_uri` of `issuer`'s discovery document, which must name this very issuer. */
async function jwksUriOf(issuer: string): Promise<URL> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  let doc: unknown;
  try {
    const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (res.status !== 200) throw new IssuerUnavailableError(`${url} answered ${res.status}`);
    const text = await res.text();
    if (text.length > MAX_DISCOVERY_BYTES) throw new IssuerUnavailableError(`${url} is too large`);
    doc = JSON.parse(text);
  } catch (e) {
    if (e instanceof IssuerUnavailableError) throw e;
    throw new IssuerUnavailableError(`${url} cannot be read (${e instanceof SyntaxError ? 'not JSON' : 'no answer'})`);
  }
  const { issuer: named, jwks_uri: jwks } = (doc ?? {}) as { issuer?: unknown; jwks_uri?: unknown };
  if (named !== issuer) throw new IssuerUnavailableError(`the discovery document of ${issuer} names another issuer`);
  if (typeof jwks !== 'string' || !URL.canParse(jwks) || !keysUrlAllowed(new URL(issuer), new URL(jwks))) {
    throw new IssuerUnavailableError(`the discovery document of ${issuer} has no usable jwks_uri`);
  }
  return new URL(jwks);
}

/** Keys over TLS, or plain http when both the issuer and its keys are on this machine (tests, a local provider). */
function keysUrlAllowed(issuer: URL, jwks: URL): boolean {
  if (jwks.protocol === 'https:') return true;
  return jwks.protocol === 'http:' && isLoopbackUrl(issuer) && isLoopbackUrl(jwks);
}

/**
 * jose's resolver, with the failures to read the key set (network, timeout, status, JSON) turned into
 * IssuerUnavailableError; a key set read but lacking the token's key stays jose's error (the token is bad).
 */
function unavailableWhenUnread(issuer: string, remote: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw e;
      if (code === 'ERR_JOSE_NOT_SUPPORTED' || code === 'ERR_JOSE_ALG_NOT_ALLOWED') throw e;
      throw new IssuerUnavailableError(`the keys of ${issuer} cannot be read`);
    }
  };
}
