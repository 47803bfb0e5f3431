/**
 * The provider's answer to a sign-in comes back as a query on the app's own address (the redirect URI cannot
 * carry the hash route): `?code=…&state=…&iss=…`, or `?error=…&state=…`. Imported first by main.tsx, before the
 * router reads the address, this module moves that answer out of the address bar and the history (into this tab's
 * sessionStorage, which the claim page empties as it reads it) and sends the page to `#/claim/back`.
 * @module
 */

const KEY = 'dta.oidc-return';

/** What the provider sent back, as it sent it (checked by the claim page against its pending sign-in). */
export interface SignInReturn {
  readonly state: string;
  readonly code?: string;
  /** RFC 9207: the issuer that answers (checked against the one asked). */
  readonly iss?: string;
  /** OAuth error code: `access_denied` when the person cancelled at the provider. */
  readonly error?: string;
}

function pick(q: URLSearchParams): SignInReturn | undefined {
  const state = q.get('state');
  const code = q.get('code') ?? undefined;
  const error = q.get('error') ?? undefined;
  if (!state || (!code && !error)) return undefined;
  const iss = q.get('iss') ?? undefined;
  return { state, ...(code ? { code } : {}), ...(iss ? { iss } : {}), ...(error ? { error: error.slice(0, 64) } : {}) };
}

function capture(): void {
  const loc = globalThis.location;
  if (!loc?.search) return;
  const answer = pick(new URLSearchParams(loc.search));
  if (!answer) return;
  try {
    globalThis.sessionStorage.setItem(KEY, JSON.stringify(answer));
  } catch {
    return; // no session storage: the claim page says the sign-in did not come back
  }
  globalThis.history.replaceState(null, '', `${loc.pathname}#/claim/back`);
}

capture();

/** The answer captured at start, once: it is removed as it is read. */
export function takeSignInReturn(): SignInReturn | undefined {
  try {
    const raw = globalThis.sessionStorage.getItem(KEY);
    globalThis.sessionStorage.removeItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : undefined;
    return typeof parsed === 'object' && parsed !== null
      ? pick(new URLSearchParams(parsed as Record<string, string>))
      : undefined;
  } catch {
    return undefined;
  }
}
