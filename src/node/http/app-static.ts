/**
 * Serving the built app (dist/, from `npm run build`) from the node, as a self-contained fastify plugin:
 *
 *  - files of the build directory with their content types (application/wasm for the core, so browsers
 *    compile it while it downloads; application/manifest+json for the web manifest);
 *  - index.html for app routes (extensionless GET paths that are not files), so a deep link or a reload
 *    always gets the app;
 *  - never the node's own paths: /v1/..., /.well-known/... and /openapi.json fall through to the server's
 *    404 handler when no route of the API matched, so the app never shadows the API;
 *  - caching for a service-worker app: Vite's content-hashed files under /assets/ are immutable for a year;
 *    everything else (index.html, sw.js, the manifest, icons) is `no-cache` with an ETag, so a new
 *    deployment is seen on the next check (the service worker then offers the update);
 *  - a Content-Security-Policy for the app's pages: scripts, workers and wasm from this origin only; fetch
 *    and WebSocket connections to any http(s)/ws(s) node the user adds.
 *
 * Paths are decoded, normalised and checked to stay inside the directory (symlinks included); dot-files
 * are never served. Register it after the server's own hooks: its onSend hook runs after theirs and
 * restores its cache-control over a server-wide `no-store`.
 * @module
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface AppStaticOptions {
  /** The build directory (holding index.html). */
  readonly root: string;
  /** The Content-Security-Policy of HTML responses; false for none. Default: APP_CSP. */
  readonly csp?: string | false;
}

/** What the app needs: its own scripts, workers and wasm; connections to nodes anywhere (http, ws). */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self' http: https: ws: wss:",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the node, never to the app. */
export function isNodePath(path: string): boolean {
  return path === '/v1' || path.startsWith('/v1/') || path.startsWith('/.well-known/') || path === '/.well-known' ||
    path === '/openapi.json';
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeOf(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Vite puts content-hashed files (their name changes with their bytes) under /assets/. */
export function cacheControlOf(path: string): string {
  return path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
}

/** The default build directory: dist/ at the root of the package. */
export function defaultAppRoot(): string {
  return fileURLToPath(new URL('../../../dist/', import.meta.url));
}

/** True when `root` holds a built app (an index.html). */
export async function hasApp(root: string): Promise<boolean> {
  return (await stat(join(root, 'index.html')).catch(() => null))?.isFile() ?? false;
}

/** The URL path decoded and split, or null for anything suspicious (bad escapes, NUL, backslash, '..', dot-files). */
function safeSegments(rawPath: string): string[] | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return null; // '.', '..', .git, .env, ...
  return segments;
}

interface Found {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The regular file at `segments` below `root` (whose real path is `realRoot`), or null. */
async function findFile(root: string, realRoot: string, segments: readonly string[]): Promise<Found | null> {
  const file = resolve(root, ...segments);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const real = await realpath(file).catch(() => null);
  if (!real || !real.startsWith(realRoot + sep)) return null;
  return { file: real, size: info.size, mtimeMs: info.mtimeMs };
}

function etagOf(f: Found): string {
  return `W/"${f.size.toString(16)}-${Math.floor(f.mtimeMs).toString(16)}"`;
}

/** Whether the request asks for an app page (a navigation), rather than a missing asset. */
function isAppRoute(segments: readonly string[]): boolean {
  const last = segments[segments.length - 1];
  return last === undefined || !last.includes('.');
}

const APP_ROUTE = '/*';

/** The routes appStatic registers: not API routes, so /openapi.json does not describe them. */
export const APP_STATIC_ROUTES: readonly { readonly method: string; readonly url: string }[] = [{ method: 'GET', url: APP_ROUTE }];

export function appStatic(options: AppStaticOptions) {
  const root = resolve(options.root);
  const csp = options.csp === undefined ? APP_CSP : options.csp;
  return async (app: FastifyInstance): Promise<void> => {
    if (!(await hasApp(root))) throw new Error(`app-static: no index.html in ${root} (build the app with npm run build)`);
    const realRoot = await realpath(root);
    const cacheFor = new WeakMap<FastifyReply, string>();

    const send = (req: FastifyRequest, reply: FastifyReply, found: Found, path: string) => {
      const etag = etagOf(found);
      const type = contentTypeOf(found.file);
      cacheFor.set(reply, cacheControlOf(path));
      reply.header('etag', etag).header('last-modified', new Date(found.mtimeMs).toUTCString());
      if (type.startsWith('text/html')) {
        if (csp) reply.header('content-security-policy', csp);
        reply.header('referrer-policy', 'no-referrer');
      }
      if (req.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type(type).header('content-length', found.size).send(createReadStream(found.file));
    };

    app.get(APP_ROUTE, async (req, reply) => {
      const path = req.url.split('?', 1)[0]!;
      if (isNodePath(path)) return reply.callNotFound();
      const segments = safeSegments(path);
      if (!segments) return reply.callNotFound();
      const found = segments.length > 0 ? await findFile(root, realRoot, segments) : null;
      if (found) return send(req, reply, found, `/${segments.join('/')}`);
      if (!isAppRoute(segments)) return reply.callNotFound();
      const index = await findFile(root, realRoot, ['index.html']);
      return index ? send(req, reply, index, '/index.html') : reply.callNotFound();
    });

    // Runs after the server's own onSend hooks (registered on the parent): put back what send() chose.
    app.addHook('onSend', async (_req, reply, payload) => {
      const cache = cacheFor.get(reply);
      if (cache) reply.header('cache-control', cache);
      return payload;
    });
  };
}
