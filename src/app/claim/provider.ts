/**
 * Talking to an OpenID Connect provider from the page, as a public client (no secret): its discovery document
 * (OpenID Connect Discovery 1.0: the endpoints, and the issuer it must name as itself), the authorization request
 * of the code flow with PKCE (RFC 7636) and a nonce, and the exchange of the returned code for the ID token
 * (RFC 6749 4.1.3). The token is not checked here: the nodes verify it (signature, issuer, audience, expiry,
 * nonce); the page only reads who signed in, to say so.
 * @module
 */
import { httpUrl, struct, text } from '../../core/schema.ts';

const TIMEOUT_MS = 15_000;

/** A sign-in step that failed at the provider, or an answer that is not what the standard promises. */
export class SignInError extends Error {
  override name = 'SignInError';
}

/** The provider's endpoints this app uses. */
export interface ProviderEndpoints {
  readonly authorization: string;
  readonly token: string;
}

const discoverySchema = struct({ issuer: httpUrl(), authorization_endpoint: httpUrl(), token_endpoint: httpUrl() }, {});

async function getJson(url: string, init: RequestInit = {}): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'omit', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new SignInError(`the provider at ${new URL(url).origin} cannot be reached`);
  }
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw new SignInError(providerRefusal(body, res.status));
  if (body === undefined) throw new SignInError(`the provider's answer from ${url} is not JSON`);
  return body;
}

/** The provider's own words for a refusal (RFC 6749 5.2: error, error_description), short and without markup. */
function providerRefusal(body: unknown, status: number): string {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const code = typeof b.error === 'string' ? b.error.slice(0, 64) : `HTTP ${status}`;
  const why = typeof b.error_description === 'string' ? `: ${b.error_description.slice(0, 200)}` : '';
  return `the provider refused (${code}${why})`;
}

/** The discovery document's endpoints; refused unless it names `issuer` as itself. */
export async function discover(issuer: string): Promise<ProviderEndpoints> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const body = (await getJson(url)) as Record<string, unknown>;
  const picked = {
    issuer: body.issuer,
    authorization_endpoint: body.authorization_endpoint,
    token_endpoint: body.token_endpoint,
  };
  let doc: ReturnType<typeof discoverySchema>;
  try {
    doc = discoverySchema(picked, 'discovery');
  } catch {
    throw new SignInError(`the provider's discovery document at ${url} lacks its endpoints`);
  }
  if (doc.issuer !== issuer) throw new SignInError(`the provider at ${url} names another issuer (${doc.issuer})`);
  return { authorization: doc.authorization_endpoint, token: doc.token_endpoint };
}

export interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  readonly challenge: string;
}

/** Where the page goes to sign in: the code flow, PKCE S256, the nonce binding the redemption. */
export function authorizationUrl(endpoint: string, r: AuthorizationRequest): string {
  const url = new URL(endpoint);
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', r.clientId);
  q.set('redirect_uri', r.redirectUri);
  q.set('scope', 'openid email');
  q.set('state', r.state);
  q.set('nonce', r.nonce);
  q.set('code_challenge', r.challenge);
  q.set('code_challenge_method', 'S256');
  return url.toString();
}

export interface CodeExchange {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly code: string;
  readonly verifier: string;
}

const tokenSchema = struct({ id_token: text({ minBytes: 1, maxBytes: 16 * 1024 }) }, {});

/** The ID token for an authorization code (public client: the PKCE verifier instead of a secret). */
export async function exchangeCode(endpoint: string, x: CodeExchange): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: x.code,
    redirect_uri: x.redirectUri,
    client_id: x.clientId,
    code_verifier: x.verifier,
  });
  const answer = (await getJson(endpoint, { method: 'POST', body })) as Record<string, unknown>;
  try {
    return tokenSchema({ id_token: answer.id_token }, 'token').id_token;
  } catch {
    throw new SignInError('the provider gave no usable ID token');
  }
}
