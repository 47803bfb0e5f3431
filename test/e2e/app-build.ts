/**
 * The built app and where it is served from, for the e2e suite and bench/app.ts: a production build of
 * index.html with the project's vite.config.ts (what `npm run build` does), served on 127.0.0.1 (port 0: the
 * OS picks one) by the node's app-static plugin. Pages open it as http://localhost:<port>/ (WebAuthn needs
 * the RP ID `localhost`).
 * @module
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { build } from 'vite';
import { appStatic } from '../../src/node/http/app-static.ts';
import { registerCompression } from '../../src/node/http/compression.ts';
import { withTimeout } from './limits.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(ROOT, 'vite.config.ts');

export const BUILD_MS = 150_000;
const SERVE_MS = 15_000;

/** Builds the app into `outDir` (emptied first). */
export async function buildApp(outDir: string): Promise<void> {
  await withTimeout(
    build({ root: ROOT, configFile, logLevel: 'error', build: { outDir, emptyOutDir: true } }),
    BUILD_MS,
    'vite build of the app',
  );
}

export interface AppServer {
  /** http://localhost:<port> (no trailing slash): the origin the nodes allow (CORS) and pages open. */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves the build in `outDir` on 127.0.0.1:<free port> the way a node does: the node's own app-static
 * plugin (content types, index.html for app routes, cache headers, the app's Content-Security-Policy) with its
 * compression (br or gzip as the browser asks), so the
 * app is tested under the headers it gets in production. Files are read at each request: a test may change
 * the build in place to deploy a "new version".
 */
export async function serveApp(outDir: string): Promise<AppServer> {
  const server = Fastify({ logger: false, forceCloseConnections: true });
  try {
    await registerCompression(server);
    await server.register(appStatic({ root: outDir }));
    await withTimeout(server.listen({ host: '127.0.0.1', port: 0 }), SERVE_MS, 'starting the app server');
  } catch (e) {
    await server.close().catch(() => undefined);
    throw e;
  }
  const { port } = server.server.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, port, close: () => server.close() };
}
