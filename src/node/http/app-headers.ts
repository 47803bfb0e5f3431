/**
 * The security headers of the built app's files, by what the browser does with each (README, "Serving the app
 * elsewhere", lists them for any static host):
 *
 *  - pages (HTML): the page's Content-Security-Policy — scripts from this origin only (and the page's own inline
 *    scripts by their hashes: `withInlineScripts`, the early script that spawns the worker) and no `'wasm-unsafe-eval'`
 *    (only the app worker compiles the core) nor inline styles; connections to any node the user adds; a
 *    Permissions-Policy giving the camera (QR codes) and WebAuthn (passkeys) to this origin and nothing else;
 *    COOP `same-origin` (no other window keeps a handle on the app's);
 *  - scripts (.js): the worker's policy. A browser applies a script response's CSP only when the script is a
 *    worker's (never to a module a page imports), so every script carries it and the app worker — which holds
 *    the identity's keys — runs only the app's own code: it can compile the wasm core but cannot `eval` or load
 *    a script from anywhere else; it connects to nodes (custody, M-Pin and Bitcoin recovery talk to them from
 *    the worker) over https, or plain http on this machine only;
 *  - the service worker (sw.js): its own policy, fetching this origin only;
 *  - every file: CORP `same-origin`, so no other site can load the app's scripts or wasm into its own pages.
 * @module
 */
import { createHash } from 'node:crypto';

/** The page's policy: its own scripts and workers, no wasm, no inline style; fetch and WebSocket to any node. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * A worker's policy: its modules and the wasm core from this origin only, no eval; connections to this origin and
 * to nodes — any https one (a node is any origin the user adds), plain http only on loopback (a node in
 * development; anywhere else a proxy gives it TLS, README "Self-hosting"), no WebSocket.
 */
export const APP_WORKER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
].join('; ');

/** The service worker's policy: Workbox's script and the precached files, from this origin only. */
export const APP_SW_CSP = ["default-src 'none'", "script-src 'self'", "connect-src 'self'"].join('; ');

/** Browser features: the camera (QR codes) and passkeys for the app itself, every other powerful one off. */
export const APP_PERMISSIONS_POLICY = [
  'camera=(self)',
  'publickey-credentials-get=(self)',
  'publickey-credentials-create=(self)',
  'clipboard-write=(self)',
  'microphone=()',
  'geolocation=()',
  'display-capture=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'bluetooth=()',
  'midi=()',
  'accelerometer=()',
  'gyroscope=()',
  'magnetometer=()',
  'clipboard-read=()',
  'idle-detection=()',
  'screen-wake-lock=()',
  'xr-spatial-tracking=()',
].join(', ');

/** A classic `<script>` with no `src`: its text is what a browser hashes for the CSP (modules are not inline here). */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** The CSP hash sources (`'sha256-…'`) of the inline scripts in `html`, in document order. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attrs, text] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attrs!)) continue;
    hashes.push(`'sha256-${createHash('sha256').update(text!, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/**
 * `csp` with its `script-src` also allowing the inline scripts of `html` by their hashes — exactly those, never
 * `'unsafe-inline'`. A policy without `script-src` is returned as it is.
 */
export function withInlineScripts(csp: string, html: string): string {
  const hashes = inlineScriptHashes(html);
  if (hashes.length === 0) return csp;
  return csp
    .split(/;\s*/)
    .map((d) => (/^script-src(\s|$)/.test(d) ? [d, ...hashes].join(' ') : d))
    .join('; ');
}

/** The service worker's script, at the build's root (vite-plugin-pwa). */
const SW_PATH = '/sw.js';

/** The policy headers of an app file at `path` ('/assets/x.js') of content type `type`; `csp` false: no CSPs. */
export function appSecurityHeaders(path: string, type: string, csp: string | false): Record<string, string> {
  const headers: Record<string, string> = { 'cross-origin-resource-policy': 'same-origin' };
  if (type.startsWith('text/html')) {
    if (csp) headers['content-security-policy'] = csp;
    headers['permissions-policy'] = APP_PERMISSIONS_POLICY;
    headers['cross-origin-opener-policy'] = 'same-origin';
    headers['referrer-policy'] = 'no-referrer';
  } else if (type.startsWith('text/javascript') && csp) {
    headers['content-security-policy'] = path === SW_PATH ? APP_SW_CSP : APP_WORKER_CSP;
  }
  return headers;
}
