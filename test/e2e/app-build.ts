/**
 * The built app and where it is served from, for the e2e suite and bench/app.ts: a production build of
 * index.html with the project's vite.config.ts, and a Vite preview server of that build on 127.0.0.1 (port 0:
 * the OS picks one). Pages open it as http://localhost:<port>/ (WebAuthn needs the RP ID `localhost`).
 * @module
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import { withTimeout } from './limits.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const configFile = join(ROOT, 'vite.config.ts');

export const BUILD_MS = 150_000;
const SERVE_MS = 15_000;

/** Builds the app into `outDir` (emptied first). */
export async function buildApp(outDir: string): Promise<void> {
  await withTimeout(
    build({ root: ROOT, configFile, logLevel: 'warn', build: { outDir, emptyOutDir: true } }),
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

/** Serves the build in `outDir` on 127.0.0.1:<free port>. */
export async function serveApp(outDir: string): Promise<AppServer> {
  const starting = preview({
    root: ROOT,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  let server: Awaited<typeof starting>;
  try {
    server = await withTimeout(starting, SERVE_MS, 'starting the preview server');
  } catch (e) {
    void starting.then((s) => s.close()).catch(() => undefined); // it may still come up after the limit
    throw e;
  }
  const { port } = server.httpServer.address() as AddressInfo;
  return { origin: `http://localhost:${port}`, port, close: () => server.close() };
}
