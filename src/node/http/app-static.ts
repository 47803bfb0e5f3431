/**
 * Serving the built app (dist/, from `npm run build`) from the node, as a self-contained fastify plugin on
 * @fastify/static (which streams the files and answers ETag, Last-Modified, ranges and HEAD):
 *
 *  - files of the build directory with their content types (application/wasm for the core, so browsers
 *    compile it while it downloads; application/manifest+json for the web manifest);
 *  - index.html for app routes only: `/` and paths under the app's own sections (`/orders/abc`, `/keys`),
 *    so a deep link or a reload gets the app (its router reads the part after '#'); any other path that is
 *    no file (`/health`, `/favicon.ico`, `/v1/...`) goes to the server's JSON 404, so the app never shadows
 *    the API or answers a probe with a page;
 *  - caching for a service-worker app: Vite's content-hashed files under /assets/ are immutable for a year;
 *    everything else (index.html, sw.js, the manifest, icons) is `no-cache` with an ETag, so a new
 *    deployment is seen on the next check (the service worker then offers the update);
 *  - security headers by what each file is (app-headers.ts): the page's Content-Security-Policy (allowing the
 *    page's own inline scripts by their hashes), Permissions-Policy and COOP; a worker's CSP on scripts, the
 *    service worker's on sw.js; CORP on all;
 *  - compressible files of 1 KiB or more in brotli or gzip as the client prefers (`Vary: Accept-Encoding`),
 *    compressed once per version of the file and kept in memory (static-copies.ts), not at each request (those a
 *    page names as soon as the page is asked for); ranges and revalidations (206, 304) are left to the library,
 *    uncompressed.
 *
 * Paths are decoded, normalised and checked to stay inside the directory (symlinks included) before the
 * library sees them; dot-files are never served. Register it after the server's own hooks: its onSend hook
 * runs after theirs and restores its cache-control over a server-wide `no-store`.
 * @module
 */

import { realpath, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { APP_CSP, appSecurityHeaders, withInlineScripts } from './app-headers.ts';
import {
  COMPRESSIBLE,
  type FileVersion,
  MIN_COMPRESSED_BYTES,
  preferredEncoding,
  StaticCopies,
  type StaticEncoding,
} from './static-copies.ts';

export interface AppStaticOptions {
  /** The build directory (holding index.html). */
  readonly root: string;
  /** The Content-Security-Policy of HTML responses; false for no CSP on any file. Default: APP_CSP. */
  readonly csp?: string | false;
  /** First path segments that are the app's (index.html below them). Default: APP_SECTIONS. */
  readonly sections?: readonly string[];
}

/**
 * The app's top-level screens (src/app/shell/routes.tsx and each feature's routes), plus the plugins' names,
 * which the node adds for the plugins it runs. The app routes by the URL's '#' part, so these only serve
 * links written as paths; one missing here answers 404 rather than the app, never something else.
 */
export const APP_SECTIONS: readonly string[] = ['keys', 'nodes', 'orders', 'about', 'safeguard', 'bitcoin', 'mpin'];

/** Paths that belong to the node, never to the app. */
export function isNodePath(path: string): boolean {
  return (
    path === '/v1' ||
    path.startsWith('/v1/') ||
    path.startsWith('/.well-known/') ||
    path === '/.well-known' ||
    path === '/openapi.json'
  );
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
function cacheControlOf(path: string): string {
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
  /** Its real path (symlinks resolved), inside the real root. */
  readonly file: string;
  readonly version: FileVersion;
}

/** The regular file at `segments` below `root` (whose real path is `realRoot`), or null. */
async function findFile(root: string, realRoot: string, segments: readonly string[]): Promise<Found | null> {
  const file = resolve(root, ...segments);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) return null;
  const real = await realpath(file).catch(() => null);
  if (!real?.startsWith(realRoot + sep)) return null;
  return { file: real, version: { size: info.size, mtimeMs: info.mtimeMs } };
}

/** Whether the request asks for an app page: `/`, or a path without an extension under an app section. */
function isAppRoute(segments: readonly string[], sections: ReadonlySet<string>): boolean {
  const last = segments[segments.length - 1];
  return last === undefined || (!last.includes('.') && sections.has(segments[0]!));
}

const APP_ROUTE = '/*';

/** The routes appStatic registers: not API routes, so /openapi.json does not describe them. */
export const APP_STATIC_ROUTES: readonly { readonly method: string; readonly url: string }[] = [
  { method: 'GET', url: APP_ROUTE },
];

/** Headers the app's files get, by their path below the root ('/assets/x.js'). */
function headersFor(path: string, csp: string | false): Record<string, string> {
  const type = contentTypeOf(path);
  return { 'content-type': type, ...appSecurityHeaders(path, type, csp) };
}

/** Whether a file is sent compressed to a client that accepts it. */
function isCompressible(found: Found): boolean {
  return found.version.size >= MIN_COMPRESSED_BYTES && COMPRESSIBLE.test(contentTypeOf(found.file));
}

/** The build's files a page names (`"/assets/…"`, in its attributes and its inline script): what a visit asks next. */
function namedAssets(html: string): string[] {
  return [...new Set([...html.matchAll(/"\/(assets\/[^"?#]+)"/g)].map((m) => m[1]!))];
}

/** A stream the library sends a file's bytes with. */
function isStream(payload: unknown): payload is { destroy(): void } {
  return typeof (payload as { pipe?: unknown } | null)?.pipe === 'function';
}

export function appStatic(options: AppStaticOptions) {
  const root = resolve(options.root);
  const csp = options.csp === undefined ? APP_CSP : options.csp;
  const sections = new Set(options.sections ?? APP_SECTIONS);
  return async (app: FastifyInstance): Promise<void> => {
    if (!(await hasApp(root)))
      throw new Error(`app-static: no index.html in ${root} (build the app with npm run build)`);
    const realRoot = await realpath(root);
    const copies = new StaticCopies();
    const cacheFor = new WeakMap<FastifyReply, string>();
    /** The file each reply sends, and a page's policy with its inline scripts' hashes. */
    const sending = new WeakMap<FastifyReply, Found>();
    const pageCspFor = new WeakMap<FastifyReply, string>();
    await app.register(fastifyStatic, {
      root: realRoot,
      serve: false, // the route below decides what is a file, a page or a 404
      cacheControl: false,
      dotfiles: 'deny',
      setHeaders: (reply: FastifyReply, file: string) => {
        const path = `/${relative(realRoot, file).split(sep).join('/')}`;
        cacheFor.set(reply, cacheControlOf(path));
        reply.headers(headersFor(path, pageCspFor.get(reply) ?? csp));
      },
    });

    /**
     * Compresses, in the background, the files the page `found` names, as a client that accepts `encoding` will
     * ask for them right after: the first visit after a start or a deployment gets them without waiting.
     */
    const prepareNamed = async (found: Found, encoding: StaticEncoding) => {
      const names = await copies.made(found.file, found.version, 'named', (html) => namedAssets(html.toString('utf8')));
      for (const name of names ?? []) {
        const asset = await findFile(root, realRoot, name.split('/'));
        if (asset && isCompressible(asset)) await copies.compressed(asset.file, asset.version, encoding);
      }
    };

    /** Sends `found` through the library, a page once its policy (with its inline scripts' hashes) is known. */
    const send = async (req: FastifyRequest, reply: FastifyReply, found: Found) => {
      sending.set(reply, found);
      const isPage = contentTypeOf(found.file).startsWith('text/html');
      const encoding = preferredEncoding(req.headers['accept-encoding']);
      if (isPage && encoding) void prepareNamed(found, encoding).catch(() => undefined);
      if (csp && isPage) {
        const pageCsp = await copies.made(found.file, found.version, 'csp', (html) =>
          withInlineScripts(csp, html.toString('utf8')),
        );
        if (pageCsp) pageCspFor.set(reply, pageCsp);
      }
      return reply.sendFile(relative(realRoot, found.file));
    };

    app.get(APP_ROUTE, { schema: { hide: true } }, async (req, reply) => {
      const path = req.url.split('?', 1)[0]!;
      if (isNodePath(path)) return reply.callNotFound();
      const segments = safeSegments(path);
      if (!segments) return reply.callNotFound();
      const found = segments.length > 0 ? await findFile(root, realRoot, segments) : null;
      if (found) return send(req, reply, found);
      if (!isAppRoute(segments, sections)) return reply.callNotFound();
      const index = await findFile(root, realRoot, ['index.html']);
      return index ? send(req, reply, index) : reply.callNotFound();
    });

    // Runs after the server's own onSend hooks (registered on the parent): put back what setHeaders chose.
    app.addHook('onSend', async (req, reply, payload) => {
      const cache = cacheFor.get(reply);
      if (cache) reply.header('cache-control', cache);
      const found = sending.get(reply);
      if (!found || !isCompressible(found)) return payload;
      const vary = String(reply.getHeader('vary') ?? '');
      if (!/\baccept-encoding\b/i.test(vary))
        reply.header('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
      const encoding = preferredEncoding(req.headers['accept-encoding']);
      // A whole file the library is about to stream as it is (not a range, a 304 or an error).
      const whole = reply.statusCode === 200 && Number(reply.getHeader('content-length')) === found.version.size;
      if (!encoding || !whole || !isStream(payload)) return payload;
      const body = await copies.compressed(found.file, found.version, encoding);
      if (!body) return payload; // changed since: the compression plugin compresses the stream
      payload.destroy();
      reply.header('content-encoding', encoding);
      reply.header('content-length', body.length);
      return body;
    });
  };
}
