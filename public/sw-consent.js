// No silent update (issue 17, item 2; docs/protocol.md, "The app's build hash and update consent").
//
// Imported by the service worker Workbox generates (vite.config.ts, workbox.importScripts), before Workbox's own
// listeners. A browser installs a changed sw.js whenever it checks (on navigation, on registration.update()), and a
// waiting worker takes over once every tab is closed. So an update must not even install unless the person said
// yes: this install step reads the build hash the server offers (build-hash.json) and fails the install unless the
// page recorded consent for exactly that hash (src/app/pwa/build-check.ts). The first install needs none (there is
// nothing yet to replace). When a worker activates, its hash becomes the running build's, which About shows, and
// the consent is spent.
//
// This protects against a deployment the person did not accept, not against a server that serves a sw.js without
// this file: whoever serves the app is trusted (README, "Checking the app you run").
'use strict';

(() => {
  const scope = self.registration.scope;
  const CONSENT_CACHE = 'dta-update-consent';
  const BUILD_CACHE = 'dta-build';
  const CONSENT_KEY = new URL('__dta/update-consent', scope).href;
  const INSTALLING_KEY = new URL('__dta/build-installing', scope).href;
  const ACTIVE_KEY = new URL('__dta/build-active', scope).href;
  const HASH_URL = new URL('build-hash.json', scope).href;
  const HEX64 = /^[0-9a-f]{64}$/;

  /** The hash in a JSON response `{ "hash": "<64 hex>" }`, or null. */
  async function hashIn(response) {
    if (!response || !response.ok) return null;
    const body = await response.json().catch(() => null);
    return body && typeof body.hash === 'string' && HEX64.test(body.hash) ? body.hash : null;
  }

  function record(hash) {
    return new Response(JSON.stringify({ hash }), { headers: { 'content-type': 'application/json' } });
  }

  async function checkConsent() {
    const offered = await hashIn(await fetch(HASH_URL, { cache: 'no-store' }));
    if (offered === null) throw new Error('update refused: the server offers no build hash');
    if (self.registration.active) {
      const accepted = await hashIn(await (await caches.open(CONSENT_CACHE)).match(CONSENT_KEY));
      if (accepted !== offered) throw new Error(`update refused: build ${offered} was not accepted in the app`);
    }
    await (await caches.open(BUILD_CACHE)).put(INSTALLING_KEY, record(offered));
  }

  async function becomeRunning() {
    const builds = await caches.open(BUILD_CACHE);
    const hash = await hashIn(await builds.match(INSTALLING_KEY));
    if (hash !== null) await builds.put(ACTIVE_KEY, record(hash));
    await builds.delete(INSTALLING_KEY);
    await caches.delete(CONSENT_CACHE);
  }

  self.addEventListener('install', (event) => event.waitUntil(checkConsent()));
  self.addEventListener('activate', (event) => event.waitUntil(becomeRunning()));
})();
