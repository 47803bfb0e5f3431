// The node serving the built app (src/node/http/app-static.ts), through fastify inject() on a server set up
// like server.ts (a 404 handler with the API's error shape, a server-wide `cache-control: no-store`, API routes
// at /v1, /.well-known and /openapi.json): content types, index.html for app routes, the API never shadowed,
// caching for a service-worker app, ETag revalidation, the page's inline scripts allowed by their hashes, and no
// way out of the directory.

import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APP_CSP,
  APP_PERMISSIONS_POLICY,
  APP_SW_CSP,
  APP_WORKER_CSP,
  inlineScriptHashes,
  withInlineScripts,
} from '../../src/node/http/app-headers.ts';
import { appStatic, contentTypeOf, hasApp, isNodePath } from '../../src/node/http/app-static.ts';

let dir: string;
let outside: string;
let app: FastifyInstance;

const INDEX = '<!doctype html><title>dta</title><div id="root"></div>';
const WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

async function buildServer(root: string, csp?: string | false): Promise<FastifyInstance> {
  const f = Fastify({ logger: false });
  f.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: { code: 'not_found', message: 'no such route' } }),
  );
  f.addHook('onSend', async (_req, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    return payload;
  });
  f.get('/v1/status', async () => ({ ok: true }));
  f.get('/.well-known/dta', async () => ({ type: 'dta/discovery' }));
  f.get('/openapi.json', async () => ({ openapi: '3.1.0' }));
  await f.register(appStatic({ root, ...(csp !== undefined ? { csp } : {}) }));
  await f.ready();
  return f;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dta-app-static-'));
  outside = await mkdtemp(join(tmpdir(), 'dta-app-outside-'));
  await mkdir(join(dir, 'assets'));
  await mkdir(join(dir, 'icons'));
  await writeFile(join(dir, 'index.html'), INDEX);
  await writeFile(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  await writeFile(join(dir, 'manifest.webmanifest'), '{"name":"dta"}');
  await writeFile(join(dir, 'assets', 'index-AbC123.js'), 'console.log(1)');
  await writeFile(join(dir, 'assets', 'index-AbC123.css'), 'body{}');
  await writeFile(join(dir, 'assets', 'dta-XyZ789.wasm'), WASM);
  await writeFile(join(dir, 'icons', 'icon-192.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
  await writeFile(join(dir, '.env'), 'SECRET=1');
  await writeFile(join(outside, 'secret.txt'), 'outside the app');
  await symlink(join(outside, 'secret.txt'), join(dir, 'link.txt'));
  app = await buildServer(dir);
});

afterAll(async () => {
  await app?.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('app-static: the node serves the built app', () => {
  it('serves index.html at / with the CSP and revalidated caching', async () => {
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toBe(INDEX);
    expect(r.headers['cache-control']).toBe('no-cache');
    expect(r.headers['content-security-policy']).toBe(APP_CSP);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['etag']).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
  });

  it('gives each file its content type; hashed assets are immutable, the rest revalidates', async () => {
    const cases: [string, string, string][] = [
      ['/assets/index-AbC123.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['/assets/index-AbC123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['/assets/dta-XyZ789.wasm', 'application/wasm', 'public, max-age=31536000, immutable'],
      ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
      ['/icons/icon-192.png', 'image/png', 'no-cache'],
    ];
    for (const [url, type, cache] of cases) {
      const r = await app.inject({ method: 'GET', url });
      expect({ url, status: r.statusCode, type: r.headers['content-type'], cache: r.headers['cache-control'] }).toEqual(
        { url, status: 200, type, cache },
      );
      // Pages carry the page's CSP, scripts a worker's (the next test): no other file carries one.
      if (!type.startsWith('text/javascript')) expect(r.headers['content-security-policy']).toBeUndefined();
    }
    const wasm = await app.inject({ method: 'GET', url: '/assets/dta-XyZ789.wasm' });
    expect(new Uint8Array(wasm.rawPayload)).toEqual(WASM);
    expect(wasm.headers['content-length']).toBe(String(WASM.length));
  });

  it('security headers by context: page, worker script, service worker, other files', async () => {
    const page = (await app.inject({ method: 'GET', url: '/keys' })).headers;
    expect(page['content-security-policy']).toBe(APP_CSP);
    expect(page['permissions-policy']).toBe(APP_PERMISSIONS_POLICY);
    expect(page['cross-origin-opener-policy']).toBe('same-origin');
    expect(page['cross-origin-resource-policy']).toBe('same-origin');
    expect(page['referrer-policy']).toBe('no-referrer');
    // The page compiles no wasm and allows no inline style; it may reach any node.
    expect(APP_CSP).not.toMatch(/wasm-unsafe-eval|unsafe-inline|unsafe-eval/);
    expect(APP_CSP).toContain("script-src 'self';");
    expect(APP_CSP).toContain("style-src 'self';");
    expect(APP_CSP).toContain("connect-src 'self' http: https: ws: wss:");
    expect(APP_PERMISSIONS_POLICY).toContain('camera=(self)');
    expect(APP_PERMISSIONS_POLICY).toContain('publickey-credentials-get=(self)');
    expect(APP_PERMISSIONS_POLICY).toContain('publickey-credentials-create=(self)');
    expect(APP_PERMISSIONS_POLICY).toContain('microphone=()');
    expect(APP_PERMISSIONS_POLICY).toContain('geolocation=()');

    const script = (await app.inject({ method: 'GET', url: '/assets/index-AbC123.js' })).headers;
    expect(script['content-security-policy']).toBe(APP_WORKER_CSP);
    expect(APP_WORKER_CSP.split('; ')).toEqual([
      "default-src 'none'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "connect-src 'self' https: http://localhost:* http://127.0.0.1:*",
    ]);
    expect(script['cross-origin-resource-policy']).toBe('same-origin');
    expect(script['permissions-policy']).toBeUndefined();

    const sw = (await app.inject({ method: 'GET', url: '/sw.js' })).headers;
    expect(sw['content-security-policy']).toBe(APP_SW_CSP);
    expect(APP_SW_CSP).toMatch(/^default-src 'none'; /);
    expect(APP_SW_CSP).not.toMatch(/wasm-unsafe-eval|unsafe-inline|unsafe-eval/);

    for (const url of ['/assets/dta-XyZ789.wasm', '/assets/index-AbC123.css', '/manifest.webmanifest']) {
      const h = (await app.inject({ method: 'GET', url })).headers;
      expect(h['content-security-policy'], url).toBeUndefined();
      expect(h['cross-origin-resource-policy'], url).toBe('same-origin');
    }
  });

  it('answers app routes (extensionless paths under an app section, no file) with index.html', async () => {
    for (const url of ['/keys', '/orders/bafyreiabc', '/orders/new?x=1']) {
      const r = await app.inject({ method: 'GET', url });
      expect({ url, status: r.statusCode, body: r.body }).toEqual({ url, status: 200, body: INDEX });
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it("a missing file with an extension, or a path outside the app's sections, is a 404 in the API shape", async () => {
    for (const url of ['/assets/missing-123.js', '/favicon.ico', '/nope.wasm', '/health', '/some/deep/route?x=1']) {
      const r = await app.inject({ method: 'GET', url });
      expect({ url, status: r.statusCode, json: r.json() }).toEqual({
        url,
        status: 404,
        json: { error: { code: 'not_found', message: 'no such route' } },
      });
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('never shadows the node: its routes answer, and unknown node paths are JSON 404s', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/status' })).json()).toEqual({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/.well-known/dta' })).json()).toEqual({ type: 'dta/discovery' });
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).json()).toEqual({ openapi: '3.1.0' });
    for (const url of ['/v1', '/v1/unknown', '/v1/orders/x/y/z', '/.well-known/other', '/.well-known']) {
      const r = await app.inject({ method: 'GET', url });
      expect({ url, status: r.statusCode, code: r.json().error?.code }).toEqual({
        url,
        status: 404,
        code: 'not_found',
      });
      expect(r.headers['cache-control']).toBe('no-store');
    }
    expect(isNodePath('/v1x')).toBe(false); // an app route that merely starts with "v1"
  });

  it('revalidates with the ETag: 304 and no body', async () => {
    for (const url of ['/', '/sw.js', '/keys']) {
      const first = await app.inject({ method: 'GET', url });
      const again = await app.inject({
        method: 'GET',
        url,
        headers: { 'if-none-match': first.headers['etag'] as string },
      });
      expect({ url, status: again.statusCode, body: again.body }).toEqual({ url, status: 304, body: '' });
      expect(again.headers['cache-control']).toBe('no-cache');
    }
  });

  it('HEAD gives the headers without the body', async () => {
    const r = await app.inject({ method: 'HEAD', url: '/assets/index-AbC123.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(r.body).toBe('');
  });

  it('never leaves the directory and never serves dot-files', async () => {
    for (const url of [
      '/../secret.txt',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2fetc%2fpasswd',
      '/.env',
      '/%2eenv',
      '/link.txt',
      '/assets%5c..%5cindex.html',
      '/%00',
      '/%E0%A4%A',
    ]) {
      const r = await app.inject({ method: 'GET', url });
      // Refused (404, or 400 for a bad escape), or — a path normalised to an extensionless one such as
      // /etc/passwd — just the app's index.html.
      const refused = r.statusCode === 404 || r.statusCode === 400;
      expect({ url, ok: refused || (r.statusCode === 200 && r.body === INDEX) }).toEqual({ url, ok: true });
      expect(r.body).not.toContain('outside the app');
      expect(r.body).not.toContain('SECRET');
    }
  });

  it('other methods are not served', async () => {
    const r = await app.inject({ method: 'POST', url: '/', payload: {} });
    expect(r.statusCode).toBe(404);
  });

  it('the CSP can be changed or left out', async () => {
    const none = await buildServer(dir, false);
    const custom = await buildServer(dir, "default-src 'self'");
    try {
      expect((await none.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toBeUndefined();
      expect((await none.inject({ method: 'GET', url: '/sw.js' })).headers['content-security-policy']).toBeUndefined();
      expect((await custom.inject({ method: 'GET', url: '/' })).headers['content-security-policy']).toBe(
        "default-src 'self'",
      );
    } finally {
      await none.close();
      await custom.close();
    }
  });

  it('refuses to start on a directory with no built app', async () => {
    expect(await hasApp(dir)).toBe(true);
    expect(await hasApp(outside)).toBe(false);
    const f = Fastify({ logger: false });
    await expect(f.register(appStatic({ root: outside })).ready()).rejects.toThrow(/index\.html/);
    await f.close();
  });

  it("a page's inline scripts, and only they, are allowed by their hashes", async () => {
    const early = '\n  self.spawned = new Worker("/assets/w.js");\n';
    const page = `<!doctype html><head><script>${early}</script><script type="module" src="/assets/index-AbC123.js"></script></head>`;
    const root = await mkdtemp(join(tmpdir(), 'dta-app-inline-'));
    await writeFile(join(root, 'index.html'), page);
    const server = await buildServer(root);
    try {
      const hash = `'sha256-${createHash('sha256').update(early).digest('base64')}'`;
      expect(inlineScriptHashes(page)).toEqual([hash]);
      const csp = (await server.inject({ method: 'GET', url: '/keys' })).headers['content-security-policy'] as string;
      expect(csp).toBe(APP_CSP.replace("script-src 'self'", `script-src 'self' ${hash}`));
      expect(csp).not.toMatch(/unsafe-inline/);
      // A new version of the page (deployed in place) gets its own script's hash.
      const next = page.replace('w.js', 'w2.js');
      await writeFile(join(root, 'index.html'), next);
      const again = (await server.inject({ method: 'GET', url: '/' })).headers['content-security-policy'];
      expect(again).toBe(withInlineScripts(APP_CSP, next));
      expect(again).not.toContain(hash);
      // No inline script, or a policy without script-src: the policy as it is.
      expect(withInlineScripts(APP_CSP, INDEX)).toBe(APP_CSP);
      expect(withInlineScripts("default-src 'self'", page)).toBe("default-src 'self'");
    } finally {
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('content types by extension', () => {
    expect(contentTypeOf('a/b/C.WASM')).toBe('application/wasm');
    expect(contentTypeOf('x.unknown')).toBe('application/octet-stream');
  });
});
