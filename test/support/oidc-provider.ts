/**
 * A real OpenID Connect identity provider for tests (`oidc-provider`), on 127.0.0.1 only: the issuer of the
 * OIDC beneficiaries of issue 15 (docs/protocol.md, "OpenID Connect beneficiaries").
 *
 * What it is: an issuer `http://127.0.0.1:<free port>` with its own RS256 signing key (made at start), the accounts
 * given (or `TEST_ACCOUNTS`), and one registered public client, the dta app (`clientId`, no secret, PKCE S256
 * required, `response_types: ['code']`, `grant_types: ['authorization_code']`, the caller's redirect URIs). The
 * token endpoint answers CORS requests from the redirect URIs' origins (and `corsOrigins`). ID tokens carry
 * `email` and `email_verified` when the `email` scope is asked for. Consent is implied (a first-party client).
 *
 * The login page, for browser tests (a real HTML form at `/interaction/<uid>`):
 * - `getByLabel('Username')` — `input#username[name=username]`
 * - `getByLabel('Password')` — `input#password[name=password][type=password]`
 * - `getByRole('button', {name: 'Sign in'})` — submits to `/interaction/<uid>/login`
 * - a wrong password re-renders the form with `role="alert"` "Wrong username or password."
 * The page title and heading are "Sign in to the test provider".
 *
 * For node tests, `idTokenFor(account, nonce)` drives the same flow with plain HTTP (fetch, a cookie jar, the
 * form post, the code exchange with PKCE) and returns the ID token. `setIdTokenTtl(seconds)` changes the lifetime
 * of the tokens issued next; `setAvailable(false)` makes every route answer 503 (discovery and keys down);
 * `signToken(claims)` signs any claims with this provider's key (to forge tokens a test must see refused).
 * @module
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import Provider, { type ProviderContext } from 'oidc-provider';

export interface TestAccount {
  readonly sub: string;
  readonly username: string;
  readonly password: string;
  readonly email: string;
  readonly emailVerified: boolean;
}

/** Alice and Bob have verified emails; Carol's email is not verified. Passwords are `<username>-password`. */
export const TEST_ACCOUNTS: readonly TestAccount[] = [
  { sub: 'alice-0001', username: 'alice', password: 'alice-password', email: 'Alice@Example.org', emailVerified: true },
  { sub: 'bob-0002', username: 'bob', password: 'bob-password', email: 'bob@example.org', emailVerified: true },
  {
    sub: 'carol-0003',
    username: 'carol',
    password: 'carol-password',
    email: 'carol@example.org',
    emailVerified: false,
  },
];

export interface TestProviderOptions {
  /** The app's redirect URIs (the first is the one `idTokenFor` uses); default one unused loopback URI. */
  readonly redirectUris?: readonly string[];
  /** Origins allowed to call the token endpoint from a page, besides the redirect URIs' origins. */
  readonly corsOrigins?: readonly string[];
  readonly accounts?: readonly TestAccount[];
  readonly clientId?: string;
  /** Lifetime of the ID tokens issued, in seconds (default 600). */
  readonly idTokenTtlSeconds?: number;
}

export interface TestProvider {
  /** The issuer identifier, `http://127.0.0.1:<port>` (no trailing slash). */
  readonly issuer: string;
  readonly clientId: string;
  readonly redirectUris: readonly string[];
  readonly accounts: readonly TestAccount[];
  /** Signs in as `account` (an account or its username) and returns the ID token made for `nonce`. */
  idTokenFor(account: TestAccount | string, nonce: string): Promise<string>;
  /** Lifetime of the ID tokens issued from now on. */
  setIdTokenTtl(seconds: number): void;
  /** false: every request (discovery, keys, login) gets 503, as if the provider were down. */
  setAvailable(available: boolean): void;
  /** A JWT signed with this provider's own key and key id, with exactly these claims. */
  signToken(claims: JWTPayload): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_CLIENT_ID = 'dta-app';
const DEFAULT_TTL_SECONDS = 600;
const SIGNING_ALG = 'RS256';

/** Starts a provider on a free loopback port. */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  const accounts = options.accounts ?? TEST_ACCOUNTS;
  const clientId = options.clientId ?? DEFAULT_CLIENT_ID;
  const redirectUris = options.redirectUris ?? ['http://127.0.0.1:9/oidc-callback'];
  const corsOrigins = new Set([...redirectUris.map((uri) => new URL(uri).origin), ...(options.corsOrigins ?? [])]);
  const signingKey = makeSigningKey();
  const state = { ttl: options.idTokenTtlSeconds ?? DEFAULT_TTL_SECONDS, available: true };
  let provider: Provider | undefined;
  const server = createServer((req, res) => {
    if (!state.available) return plain(res, 503, 'unavailable');
    if (provider === undefined) return plain(res, 503, 'starting');
    if (req.url?.startsWith('/interaction/')) {
      void handleInteraction(provider, accounts, req, res).catch(() => plain(res, 400, 'interaction failed'));
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: 'none',
        redirect_uris: [...redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        id_token_signed_response_alg: SIGNING_ALG,
      },
    ],
    jwks: { keys: [signingKey.privateJwk] },
    adapter: memoryAdapterClass(),
    findAccount: (_ctx: unknown, id: string) => accountById(accounts, id),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    // The email claims go into the ID token itself (the node never calls userinfo).
    conformIdTokenClaims: false,
    clientBasedCORS: (_ctx: unknown, origin: string) => corsOrigins.has(origin),
    loadExistingGrant: impliedConsent,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: false } },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      IdToken: () => state.ttl,
      AccessToken: 600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: (ctx: ProviderContext, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = page('Sign-in error', `<p role="alert">${escapeHtml(String(out.error ?? 'error'))}</p>`);
    },
  });
  const ready = provider;
  return {
    issuer,
    clientId,
    redirectUris,
    accounts,
    idTokenFor: (account, nonce) => driveLogin(issuer, clientId, redirectUris[0] ?? '', account, accounts, nonce),
    setIdTokenTtl: (seconds) => {
      state.ttl = seconds;
    },
    setAvailable: (available) => {
      state.available = available;
    },
    signToken: (claims) => signClaims(signingKey.privateJwk, claims),
    close: () => closeServer(server, ready),
  };
}

type Stored = Record<string, unknown> & { uid?: string; grantId?: string; consumed?: number };

/**
 * The provider's state (sessions, interactions, codes, grants) in a Map of this provider's own, dropped with it;
 * expiry is not enforced here (the tokens carry their own `exp`; a test provider lives for minutes).
 */
function memoryAdapterClass() {
  const store = new Map<string, Stored>();
  return class TestAdapter {
    readonly #model: string;
    constructor(model: string) {
      this.#model = model;
    }
    #key = (id: string) => `${this.#model}:${id}`;
    async upsert(id: string, payload: Stored): Promise<void> {
      store.set(this.#key(id), payload);
    }
    async find(id: string): Promise<Stored | undefined> {
      return store.get(this.#key(id));
    }
    async findByUid(uid: string): Promise<Stored | undefined> {
      return [...store].find(([key, p]) => key.startsWith(`${this.#model}:`) && p.uid === uid)?.[1];
    }
    async findByUserCode(): Promise<undefined> {
      return undefined;
    }
    async consume(id: string): Promise<void> {
      const payload = store.get(this.#key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
    }
    async revokeByGrantId(grantId: string): Promise<void> {
      for (const [key, p] of store) if (p.grantId === grantId) store.delete(key);
    }
  };
}

function makeSigningKey(): { privateJwk: JWK } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  return { privateJwk: { ...jwk, kid: randomBytes(8).toString('hex'), alg: SIGNING_ALG, use: 'sig' } };
}

async function signClaims(privateJwk: JWK, claims: JWTPayload): Promise<string> {
  const key = await importJWK(privateJwk, SIGNING_ALG);
  return new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: privateJwk.kid ?? '', typ: 'JWT' }).sign(key);
}

function accountById(accounts: readonly TestAccount[], id: string) {
  const account = accounts.find((a) => a.sub === id);
  if (account === undefined) return undefined;
  return {
    accountId: account.sub,
    claims: () => ({ sub: account.sub, email: account.email, email_verified: account.emailVerified }),
  };
}

/** The dta app is this provider's first-party client: a signed-in account grants it `openid email` at once. */
async function impliedConsent(ctx: ProviderContext) {
  const { client, session, result, provider } = ctx.oidc;
  const grantId = result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId !== undefined) return provider.Grant.find(grantId);
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope('openid email');
  await grant.save();
  return grant;
}

/** `GET /interaction/<uid>`: the login form; `POST /interaction/<uid>/login`: checks it and resumes the flow. */
async function handleInteraction(
  provider: Provider,
  accounts: readonly TestAccount[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET') return html(res, 200, loginForm(details.uid, false));
  if (req.method !== 'POST' || !req.url?.endsWith('/login')) return plain(res, 405, 'method not allowed');
  const form = new URLSearchParams(await readBody(req));
  const account = accounts.find((a) => a.username === form.get('username') && a.password === form.get('password'));
  if (account === undefined) return html(res, 200, loginForm(details.uid, true));
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: account.sub } },
    { mergeWithLastSubmission: false },
  );
}

function loginForm(uid: string, wrong: boolean): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  const alert = wrong ? '<p role="alert">Wrong username or password.</p>' : '';
  return page(
    'Sign in to the test provider',
    `${alert}<form method="post" action="${escapeHtml(action)}">
<p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
<p><label for="password">Password</label> <input id="password" name="password" type="password"
 autocomplete="current-password" required></p>
<p><button type="submit">Sign in</button></p>
</form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${title}</h1>${body}</main></body></html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

function plain(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The authorization code flow with PKCE, as the app runs it, over plain HTTP with a cookie jar. */
async function driveLogin(
  issuer: string,
  clientId: string,
  redirectUri: string,
  who: TestAccount | string,
  accounts: readonly TestAccount[],
  nonce: string,
): Promise<string> {
  const account = typeof who === 'string' ? accounts.find((a) => a.username === who) : who;
  if (account === undefined) throw new Error(`no test account ${String(who)}`);
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const authorize = new URL('/auth', issuer);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid email',
    nonce,
    state,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const jar = new Map<string, string>();
  const loginPage = await followUntil(jar, authorize.href, (url) => url.pathname.startsWith('/interaction/'));
  const login = await send(jar, new URL(`${loginPage.pathname}/login`, issuer).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: account.username, password: account.password }).toString(),
  });
  const back = await followUntil(jar, locationOf(login, issuer), (url) => url.href.startsWith(redirectUri));
  if (back.searchParams.get('state') !== state) throw new Error('the provider answered another state');
  const code = back.searchParams.get('code');
  if (code === null) throw new Error(`the provider refused: ${back.searchParams.get('error') ?? 'no code'}`);
  return exchangeCode(issuer, clientId, redirectUri, code, verifier);
}

async function exchangeCode(issuer: string, clientId: string, redirectUri: string, code: string, verifier: string) {
  const res = await fetch(new URL('/token', issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: clientId,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await res.json()) as { id_token?: string; error?: string };
  if (!res.ok || body.id_token === undefined) throw new Error(`token exchange failed: ${body.error ?? res.status}`);
  return body.id_token;
}

/** Follows redirects (at most 10) until one points at a URL `stop` accepts, which is returned unfetched. */
async function followUntil(jar: Map<string, string>, start: string, stop: (url: URL) => boolean): Promise<URL> {
  let next = start;
  for (let hop = 0; hop < 10; hop++) {
    const url = new URL(next);
    if (stop(url)) return url;
    next = locationOf(await send(jar, url.href, { method: 'GET' }), url.href);
  }
  throw new Error('too many redirects in the sign-in');
}

function locationOf(res: Response, base: string): string {
  const location = res.headers.get('location');
  if (location === null) throw new Error(`the provider answered ${res.status} without a redirect`);
  return new URL(location, base).href;
}

/** One request with the jar's cookies (every cookie to every path: a test provider on one host). */
async function send(jar: Map<string, string>, url: string, init: RequestInit): Promise<Response> {
  const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie } });
  for (const line of res.headers.getSetCookie()) {
    const [pair = ''] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, value);
  }
  await res.arrayBuffer();
  return res;
}

async function closeServer(server: ReturnType<typeof createServer>, _provider: Provider): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
}
