/**
 * The page's half of "no silent update" (the service worker's is public/sw-consent.js; docs/protocol.md, "The
 * app's build hash and update consent"): which build runs here, which one the server offers now, and the
 * person's consent to one build hash, which is the only thing that lets the service worker install an update.
 * @module
 */

/** Cache Storage names and keys shared with public/sw-consent.js. */
const BUILD_CACHE = 'dta-build';
const CONSENT_CACHE = 'dta-update-consent';
const ACTIVE_KEY = '__dta/build-active';
const CONSENT_KEY = '__dta/update-consent';
const HASH_FILE = 'build-hash.json';
const HEX64 = /^[0-9a-f]{64}$/;

/** The hash in a `{ "hash": "<64 hex>" }` response, or null. */
async function hashIn(response: Response | undefined): Promise<string | null> {
  if (!response?.ok) return null;
  const body = (await response.json().catch(() => null)) as { hash?: unknown } | null;
  return typeof body?.hash === 'string' && HEX64.test(body.hash) ? body.hash : null;
}

const keyIn = (registration: ServiceWorkerRegistration, key: string): string => new URL(key, registration.scope).href;

/** The hash the server offers now (never the service worker's copy: the query keeps it off the precache). */
export async function offeredBuild(): Promise<string | null> {
  const url = new URL(HASH_FILE, document.baseURI);
  url.searchParams.set('check', String(Date.now()));
  return hashIn(await fetch(url, { cache: 'no-store' }).catch(() => undefined));
}

/**
 * The build this page runs: the active service worker's (recorded when it installed), or, with no service
 * worker yet (a first visit), the one the server just gave. Null when unknown.
 */
export async function runningBuild(): Promise<string | null> {
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  if (registration?.active && navigator.serviceWorker.controller) {
    const builds = await caches.open(BUILD_CACHE);
    return hashIn(await builds.match(keyIn(registration, ACTIVE_KEY)));
  }
  return hashIn(await fetch(new URL(HASH_FILE, document.baseURI)).catch(() => undefined));
}

/** Records the person's consent to install the build named `hash` (the service worker checks it). */
export async function acceptBuild(registration: ServiceWorkerRegistration, hash: string): Promise<void> {
  if (!HEX64.test(hash)) throw new Error('not a build hash');
  const body = JSON.stringify({ hash });
  const consent = await caches.open(CONSENT_CACHE);
  await consent.put(
    keyIn(registration, CONSENT_KEY),
    new Response(body, { headers: { 'content-type': 'application/json' } }),
  );
}
